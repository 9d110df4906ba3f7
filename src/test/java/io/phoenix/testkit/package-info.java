/**
 * Shared test support: the embedded simulator as a JUnit 5 class extension for integration tests
 * ({@link io.phoenix.testkit.SimulatorFixture}) and deadline-bounded polling for state no probe is
 * told about ({@link io.phoenix.testkit.Polling}), so each IT states only what differs.
 */
package io.phoenix.testkit;
