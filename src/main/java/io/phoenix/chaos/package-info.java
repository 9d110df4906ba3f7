/**
 * The chaos soak ({@code phoenix chaos}): a seeded fault schedule ({@link
 * io.phoenix.chaos.FaultSchedule}), invariant checks over samples of the exchange and the node
 * (plain classes implementing {@link io.phoenix.chaos.Check}), the report, and the thin runner that
 * starts a simulator and a node in this process and drives them ({@link
 * io.phoenix.chaos.ChaosSoak}).
 */
package io.phoenix.chaos;
