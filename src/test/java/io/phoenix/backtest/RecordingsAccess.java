package io.phoenix.backtest;

/** The backtest tests' quoter settings, for tests outside the package. */
public final class RecordingsAccess {
  public static final String NARROW_NO_FEE_FLOOR = Recordings.NARROW_NO_FEE_FLOOR;

  private RecordingsAccess() {}
}
