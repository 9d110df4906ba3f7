package io.phoenix.execution;

/**
 * How the gateway asks for a reconciliation run when its own table may be incomplete. The node
 * wires it to the reconcile actor; an interface here because reconciliation reads the gateway's
 * table, so {@code reconcile} depends on {@code execution} and not the other way round.
 */
@FunctionalInterface
public interface ReconciliationRequests {

  /** For a gateway used alone: nobody reconciles. */
  ReconciliationRequests NONE = () -> {};

  /** Asks for one run; must not block (called on the gateway's thread). */
  void request();
}
