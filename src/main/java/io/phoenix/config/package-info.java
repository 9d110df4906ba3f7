/**
 * Typed settings records, one per component, read once from HOCON at start-up and validated so that
 * a bad or missing key stops the process with a message naming the key. Actors never read
 * configuration themselves.
 */
package io.phoenix.config;
