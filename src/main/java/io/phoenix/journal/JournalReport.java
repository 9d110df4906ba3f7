package io.phoenix.journal;

import com.typesafe.config.Config;
import io.phoenix.config.JournalSettings;
import io.phoenix.config.SettingsException;
import io.phoenix.journal.JournalEntry.FillRecorded;
import io.phoenix.journal.JournalEntry.FundingRecorded;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code report} command: PnL, volume, fees and fills per symbol and UTC day from the journal.
 * Net PnL = realised PnL (the exchange's, before fees) - commission + funding.
 */
public final class JournalReport {
  private JournalReport() {}

  /** One symbol on one UTC day; {@code day} is null on the per-symbol total rows. */
  public record Row(
      String symbol,
      LocalDate day,
      int fills,
      int makerFills,
      BigDecimal buyQty,
      BigDecimal sellQty,
      BigDecimal volume,
      BigDecimal fees,
      BigDecimal realizedPnl,
      BigDecimal funding) {
    public BigDecimal netPnl() {
      return realizedPnl.subtract(fees).add(funding);
    }

    Row plus(Row o) {
      return new Row(
          symbol,
          day,
          fills + o.fills,
          makerFills + o.makerFills,
          buyQty.add(o.buyQty),
          sellQty.add(o.sellQty),
          volume.add(o.volume),
          fees.add(o.fees),
          realizedPnl.add(o.realizedPnl),
          funding.add(o.funding));
    }

    static Row empty(String symbol, LocalDate day) {
      BigDecimal z = BigDecimal.ZERO;
      return new Row(symbol, day, 0, 0, z, z, z, z, z, z);
    }
  }

  /** Entry point the CLI wires: prints the report to stdout; 0 on success, 1 on error (stderr). */
  public static int run(Config config) {
    return run(config, System.out, System.err);
  }

  static int run(Config config, PrintStream out, PrintStream err) {
    JournalSettings settings;
    try {
      settings = JournalSettings.fromConfig(config);
    } catch (SettingsException e) {
      err.println("phoenix report: " + e.getMessage());
      return 1;
    }
    try (JournalStore store = JournalStore.open(settings)) {
      out.print(format(compute(store.fills(), store.funding())));
      return 0;
    } catch (JournalException | SQLException e) {
      err.println("phoenix report: " + e.getMessage());
      return 1;
    }
  }

  /** Rows by symbol then day, followed by one total row per symbol (day null). */
  public static List<Row> compute(List<FillRecorded> fills, List<FundingRecorded> funding) {
    Map<String, Map<LocalDate, Row>> bySymbol = new TreeMap<>();
    for (FillRecorded f : fills) {
      LocalDate day = day(f.time());
      BigDecimal notional = f.price().multiply(f.qty());
      boolean buy = f.side().equals("BUY");
      Row add =
          new Row(
              f.symbol(),
              day,
              1,
              f.maker() ? 1 : 0,
              buy ? f.qty() : BigDecimal.ZERO,
              buy ? BigDecimal.ZERO : f.qty(),
              notional,
              f.commission(),
              f.realizedPnl(),
              BigDecimal.ZERO);
      bySymbol.computeIfAbsent(f.symbol(), s -> new TreeMap<>()).merge(day, add, Row::plus);
    }
    for (FundingRecorded f : funding) {
      LocalDate day = day(f.time());
      Row add = Row.empty(f.symbol(), day);
      add =
          new Row(
              add.symbol(),
              day,
              0,
              0,
              add.buyQty(),
              add.sellQty(),
              add.volume(),
              add.fees(),
              add.realizedPnl(),
              f.amount());
      bySymbol.computeIfAbsent(f.symbol(), s -> new TreeMap<>()).merge(day, add, Row::plus);
    }
    List<Row> rows = new ArrayList<>();
    bySymbol.forEach(
        (symbol, days) -> {
          Row total = Row.empty(symbol, null);
          for (Row r : days.values()) {
            rows.add(r);
            total = total.plus(r);
          }
          rows.add(total);
        });
    return rows;
  }

  private static LocalDate day(java.time.Instant t) {
    return t.atZone(ZoneOffset.UTC).toLocalDate();
  }

  public static String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    String fmt = "%-12s %-10s %6s %6s %14s %14s %18s %12s %14s %12s %14s%n";
    sb.append(
        String.format(
            fmt,
            "symbol",
            "day",
            "fills",
            "maker",
            "bought",
            "sold",
            "volume",
            "fees",
            "realised",
            "funding",
            "net"));
    if (rows.isEmpty()) {
      sb.append("(no fills or funding in the journal)\n");
    }
    for (Row r : rows) {
      sb.append(
          String.format(
              fmt,
              r.symbol(),
              r.day() == null ? "TOTAL" : r.day().toString(),
              r.fills(),
              r.makerFills(),
              plain(r.buyQty()),
              plain(r.sellQty()),
              money(r.volume()),
              money(r.fees()),
              money(r.realizedPnl()),
              money(r.funding()),
              money(r.netPnl())));
    }
    return sb.toString();
  }

  private static String plain(BigDecimal v) {
    return v.stripTrailingZeros().toPlainString();
  }

  private static String money(BigDecimal v) {
    return v.setScale(4, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }
}
