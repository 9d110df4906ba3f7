package io.phoenix.journal;

import io.phoenix.config.Secret;
import java.util.List;

/**
 * Child-process half of {@link
 * JournalStoreTest#committedRowsSurviveAProcessThatDiesWithoutShutdown}: appends fills one
 * transaction at a time, says how many were committed, then halts the JVM the way SIGKILL would (no
 * shutdown hooks, no close).
 */
public final class JournalHaltWriter {
  private JournalHaltWriter() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int fills = Integer.parseInt(args[1]);
    JournalStore store = JournalStore.open(url, "phoenix", Secret.empty());
    for (int i = 1; i <= fills; i++) {
      store.append(
          List.of(
              JournalFixtures.fill(
                  "BTCUSDT", i, "BUY", "100", "1", "0.01", "0", true, "2026-11-26T00:00:01Z")));
    }
    System.out.println("committed " + fills);
    System.out.flush();
    Runtime.getRuntime().halt(137);
  }
}
