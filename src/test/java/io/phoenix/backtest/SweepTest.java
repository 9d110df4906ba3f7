package io.phoenix.backtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phoenix.config.SettingsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepTest {

  @Test
  void runsEveryCombinationOnWorkerThreadsEachAsItWouldRunAlone() {
    Sweep sweep =
        new Sweep(
            Sweep.parse(
                List.of(
                    "quoter.base-spread=0.6,3",
                    "phoenix.backtest.queue-model=conservative,probabilistic")));
    assertEquals(4, sweep.grid().size());
    List<Sweep.Run> runs = sweep.run(Recordings.slice(), Recordings.config(), 2);
    assertEquals(4, runs.size());
    assertEquals(2, sweep.threadsUsed(), "both workers ran backtests");
    for (Sweep.Run run : runs) {
      BacktestResult alone =
          BacktestCommand.runOnce(
              Recordings.slice(),
              Sweep.apply(Recordings.config(), run.overrides()),
              run.overrides());
      assertArrayEquals(
          BacktestCommand.json(alone),
          BacktestCommand.json(run.result()),
          "run " + run.index() + " " + run.overrides());
    }
    assertEquals("3", runs.get(2).overrides().get("phoenix.quoter.base-spread"));
    assertTrue(
        runs.get(0).result().summary().fills() != runs.get(2).result().summary().fills()
            || runs.get(0).result().summary().netPnl() != runs.get(2).result().summary().netPnl(),
        "a wider spread changes the result");
    List<Sweep.Run> ranked = Sweep.ranked(runs);
    for (int i = 1; i < ranked.size(); i++) {
      assertTrue(
          ranked.get(i - 1).result().summary().netPnl()
              >= ranked.get(i).result().summary().netPnl());
    }
    String table = Sweep.table(runs);
    assertTrue(table.lines().count() == 5, table);
  }

  @Test
  void anUnknownSettingOrABadValueIsRefusedByName() {
    SettingsException unknown =
        assertThrows(
            SettingsException.class,
            () ->
                new Sweep(Sweep.parse(List.of("quoter.no-such-key=1,2")))
                    .run(Recordings.slice(), Recordings.config(), 1));
    assertTrue(unknown.getMessage().contains("phoenix.quoter.no-such-key"), unknown.getMessage());
    SettingsException bad =
        assertThrows(
            SettingsException.class,
            () ->
                new Sweep(Sweep.parse(List.of("backtest.queue-model=fifo")))
                    .run(Recordings.slice(), Recordings.config(), 1));
    assertTrue(bad.getMessage().contains("phoenix.backtest.queue-model"), bad.getMessage());
    assertThrows(SettingsException.class, () -> Sweep.parse(List.of("quoter.levels")));
    assertEquals(
        Map.of("phoenix.quoter.levels", "1"),
        new Sweep(Sweep.parse(List.of("quoter.levels=1"))).grid().get(0));
  }
}
