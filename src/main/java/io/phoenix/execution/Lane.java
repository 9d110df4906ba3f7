package io.phoenix.execution;

/**
 * The order table's request queues, in dispatch priority: cancels free risk first, queries last.
 */
public enum Lane {
  CANCEL,
  AMEND,
  PLACE,
  QUERY
}
