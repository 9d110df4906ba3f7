/**
 * The node: {@code Main} parses the command line, {@code Launcher} runs a command,
 * {@code PhoenixNode} starts the embedded simulator and the actor system whose root,
 * {@code PhoenixGuardian}, wires and supervises every component.
 */
package io.phoenix;
