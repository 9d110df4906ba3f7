/**
 * The node as an Akka Cluster member: joining (itself, seed nodes or Cluster Bootstrap), Akka
 * Management and its health checks. Depends on config only; the node root wires it.
 */
package io.phoenix.cluster;
