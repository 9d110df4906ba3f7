package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults as they actually ran: when each began and ended (a simulator restart ends when the
 * successor listens, which can be later than planned) and what its action reported. Written by the
 * thread that injects faults, read by the sampler; thread-safe.
 */
public final class FaultLog {
  /**
   * {@code endedMillis} is -1 while the fault is active; times are milliseconds since the run's
   * start.
   */
  public record Executed(FaultWindow window, long begunMillis, long endedMillis, String note) {}

  private final List<Executed> executed = new ArrayList<>();

  public synchronized void begun(FaultWindow window, long atMillis, String note) {
    executed.add(new Executed(window, atMillis, -1, note));
  }

  public synchronized void ended(FaultWindow window, long atMillis, String note) {
    for (int i = executed.size() - 1; i >= 0; i--) {
      Executed e = executed.get(i);
      if (e.window().index() == window.index()) {
        String joined =
            note.isEmpty() ? e.note() : e.note().isEmpty() ? note : e.note() + "; " + note;
        executed.set(
            i,
            new Executed(e.window(), e.begunMillis(), Math.max(atMillis, e.begunMillis()), joined));
        return;
      }
    }
    throw new IllegalStateException("fault " + window.describe() + " ended before it began");
  }

  /**
   * FAULT while one is active at {@code atMillis}, GRACE within {@code graceMillis} after one
   * ended, else CLEAR.
   */
  public synchronized Sample.Phase phase(long atMillis, long graceMillis) {
    Sample.Phase phase = Sample.Phase.CLEAR;
    for (Executed e : executed) {
      if (e.begunMillis() > atMillis) {
        continue;
      }
      if (e.endedMillis() < 0 || atMillis <= e.endedMillis()) {
        return Sample.Phase.FAULT;
      }
      if (atMillis - e.endedMillis() < graceMillis) {
        phase = Sample.Phase.GRACE;
      }
    }
    return phase;
  }

  public synchronized List<Executed> executed() {
    return List.copyOf(executed);
  }
}
