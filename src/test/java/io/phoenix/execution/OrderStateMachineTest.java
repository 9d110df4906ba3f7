package io.phoenix.execution;

import static io.phoenix.model.OrderState.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.execution.OrderStateMachine.Outcome;
import io.phoenix.model.OrderState;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderStateMachineTest {

  /** The complete legal table; every pair not listed is illegal. */
  static final List<OrderState[]> LEGAL =
      List.of(
          t(PENDING_NEW, NEW),
          t(PENDING_NEW, PARTIALLY_FILLED),
          t(PENDING_NEW, FILLED),
          t(PENDING_NEW, CANCELED),
          t(PENDING_NEW, EXPIRED),
          t(PENDING_NEW, EXPIRED_IN_MATCH),
          t(PENDING_NEW, REJECTED),
          t(PENDING_NEW, UNKNOWN),
          t(PENDING_NEW, PENDING_CANCEL),
          t(NEW, NEW),
          t(NEW, PARTIALLY_FILLED),
          t(NEW, FILLED),
          t(NEW, PENDING_CANCEL),
          t(NEW, CANCELED),
          t(NEW, EXPIRED),
          t(NEW, EXPIRED_IN_MATCH),
          t(NEW, UNKNOWN),
          t(PARTIALLY_FILLED, PARTIALLY_FILLED),
          t(PARTIALLY_FILLED, FILLED),
          t(PARTIALLY_FILLED, PENDING_CANCEL),
          t(PARTIALLY_FILLED, CANCELED),
          t(PARTIALLY_FILLED, EXPIRED),
          t(PARTIALLY_FILLED, EXPIRED_IN_MATCH),
          t(PARTIALLY_FILLED, UNKNOWN),
          t(PENDING_CANCEL, NEW),
          t(PENDING_CANCEL, PARTIALLY_FILLED),
          t(PENDING_CANCEL, FILLED),
          t(PENDING_CANCEL, CANCELED),
          t(PENDING_CANCEL, EXPIRED),
          t(PENDING_CANCEL, EXPIRED_IN_MATCH),
          t(PENDING_CANCEL, UNKNOWN),
          t(UNKNOWN, NEW),
          t(UNKNOWN, PARTIALLY_FILLED),
          t(UNKNOWN, FILLED),
          t(UNKNOWN, CANCELED),
          t(UNKNOWN, EXPIRED),
          t(UNKNOWN, EXPIRED_IN_MATCH),
          t(UNKNOWN, REJECTED),
          t(UNKNOWN, PENDING_CANCEL));

  private static OrderState[] t(OrderState from, OrderState to) {
    return new OrderState[] {from, to};
  }

  static Stream<Arguments> legal() {
    return LEGAL.stream().map(p -> Arguments.of(p[0], p[1]));
  }

  static Stream<Arguments> illegal() {
    List<Arguments> out = new ArrayList<>();
    for (OrderState from : OrderState.values()) {
      for (OrderState to : OrderState.values()) {
        boolean listed = LEGAL.stream().anyMatch(p -> p[0] == from && p[1] == to);
        if (!listed && from != to) {
          out.add(Arguments.of(from, to));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} -> {1} is legal")
  @MethodSource("legal")
  void everyLegalTransitionIsApplied(OrderState from, OrderState to) {
    OrderStateMachine m = new OrderStateMachine("c", from, 10);
    assertTrue(OrderStateMachine.isLegal(from, to));
    assertEquals(Outcome.APPLIED, m.transition(to));
    assertEquals(to, m.state());
  }

  @ParameterizedTest(name = "{0} -> {1} is illegal")
  @MethodSource("illegal")
  void everyOtherTransitionIsRefusedAndLeavesTheStateAlone(OrderState from, OrderState to) {
    OrderStateMachine m = new OrderStateMachine("c", from, 10);
    assertFalse(OrderStateMachine.isLegal(from, to));
    assertEquals(Outcome.ILLEGAL, m.transition(to));
    assertEquals(from, m.state());
  }

  @Test
  void terminalStatesAcceptNothingButRepeatsAreIgnored() {
    Set<OrderState> terminal = EnumSet.of(FILLED, CANCELED, EXPIRED, EXPIRED_IN_MATCH, REJECTED);
    for (OrderState s : terminal) {
      assertTrue(s.isTerminal());
      assertEquals(Outcome.IGNORED, new OrderStateMachine("c", s, 1).transition(s));
    }
    assertEquals(Outcome.IGNORED, new OrderStateMachine("c", UNKNOWN, 1).transition(UNKNOWN));
  }

  @Test
  void fillsAreDeduplicatedByTradeId() {
    OrderStateMachine m = new OrderStateMachine("c", NEW, 10);
    assertEquals(Outcome.APPLIED, m.fill(7, 4));
    assertEquals(Outcome.IGNORED, m.fill(7, 4));
    assertEquals(4, m.cumQtySteps());
    assertEquals(PARTIALLY_FILLED, m.state());
    assertEquals(Outcome.APPLIED, m.fill(8, 6));
    assertEquals(FILLED, m.state());
    assertEquals(10, m.cumQtySteps());
  }

  @Test
  void overfillIsIllegalAndChangesNothing() {
    OrderStateMachine m = new OrderStateMachine("c", NEW, 10);
    assertEquals(Outcome.ILLEGAL, m.fill(1, 11));
    assertEquals(0, m.cumQtySteps());
    assertEquals(NEW, m.state());
  }

  @Test
  void cumulativeQuantityNeverDecreases() {
    OrderStateMachine m = new OrderStateMachine("c", NEW, 10);
    assertEquals(Outcome.APPLIED, m.report(PARTIALLY_FILLED, 6));
    assertEquals(Outcome.IGNORED, m.cumulative(3));
    assertEquals(6, m.cumQtySteps());
    assertEquals(Outcome.ILLEGAL, m.cumulative(11));
  }

  @Test
  void partialFillDuringCancelKeepsTheCancelPending() {
    OrderStateMachine m = new OrderStateMachine("c", PENDING_CANCEL, 10);
    assertEquals(Outcome.APPLIED, m.fill(1, 3));
    assertEquals(PENDING_CANCEL, m.state());
    assertEquals(Outcome.APPLIED, m.transition(CANCELED));
  }

  @Test
  void exchangeStatusTextMapsToStates() {
    assertEquals(EXPIRED_IN_MATCH, OrderState.fromExchange("EXPIRED_IN_MATCH"));
    assertEquals(null, OrderState.fromExchange("PENDING_NEW"));
  }
}
