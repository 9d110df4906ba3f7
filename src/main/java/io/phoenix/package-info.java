/**
 * The process: the command line ({@code Main}), the wiring of each command ({@code Launcher}) and
 * the root supervisor. Capabilities live in the sub-packages: {@code market} (books and feeds),
 * {@code quoting}, {@code risk}, {@code execution} (the order path), {@code account} (user data
 * stream, reconciliation), {@code journal}, {@code ops}, and {@code sim}, the embedded exchange.
 */
package io.phoenix;
