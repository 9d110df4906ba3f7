package io.phoenix.core;

/** How an asynchronous failure reads in a log line or a status reason. */
public final class Failures {
  private Failures() {}

  /**
   * The root cause's class and message: a future's failure arrives wrapped in {@code
   * CompletionException}/{@code ExecutionException}, whose own text says nothing.
   */
  public static String describe(Throwable t) {
    Throwable root = t;
    while ((root instanceof java.util.concurrent.CompletionException
            || root instanceof java.util.concurrent.ExecutionException)
        && root.getCause() != null) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
