package io.phoenix.journal;

import io.phoenix.config.JournalSettings;
import io.phoenix.config.Secret;
import io.phoenix.journal.JournalEntry.FillRecorded;
import io.phoenix.journal.JournalEntry.FundingRecorded;
import io.phoenix.journal.JournalEntry.OrderAcked;
import io.phoenix.journal.JournalEntry.OrderAmended;
import io.phoenix.journal.JournalEntry.OrderCanceled;
import io.phoenix.journal.JournalEntry.OrderRejected;
import io.phoenix.journal.JournalEntry.OrderRequested;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;

/**
 * JDBC access to the journal tables: one connection, one writer. Every method blocks, so call it
 * from a blocking dispatcher, never from an actor's own thread. The schema is created or migrated
 * with Flyway when the store opens. A failed write rolls back and drops the connection; the next
 * call reconnects, so a restarted database heals without restarting the process.
 */
public final class JournalStore implements AutoCloseable {
  private static final String INSERT_ORDER_EVENT =
      "INSERT INTO journal_order_event (kind, symbol, client_order_id,"
          + " order_id, side, order_type, time_in_force, price, quantity, reduce_only, status, error_code, reason,"
          + " event_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  // Insert-if-absent written portably (H2 and PostgreSQL): completion and the live stream may both
  // deliver the same trade.
  private static final String INSERT_FILL =
      "INSERT INTO journal_fill (symbol, trade_id, order_id, client_order_id,"
          + " side, price, quantity, commission, realized_pnl, maker, trade_time)"
          + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
          + " (SELECT 1 FROM journal_fill WHERE symbol = ? AND trade_id = ?)";
  private static final String INSERT_FUNDING =
      "INSERT INTO journal_funding (symbol, amount, asset, funding_time) VALUES (?, ?, ?, ?)";

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(JournalStore.class);

  private final String url;
  private final String user;
  private final Secret password;
  private final boolean checkpointEachCommit;
  private final long compactIntervalNanos;
  private Connection connection;
  private long checkpointFailures;
  private long compactions;
  private long compactFailures;
  private long lastCompactNanos = System.nanoTime();

  private JournalStore(String url, String user, Secret password, Duration compactInterval) {
    this.compactIntervalNanos = compactInterval.toNanos();
    this.url = url;
    this.user = user;
    this.password = password;
    this.checkpointEachCommit = checkpointsEachCommit(url);
  }

  /**
   * Migrates the schema and connects. Throws {@link JournalException} naming the URL on failure.
   */
  public static JournalStore open(JournalSettings settings) {
    return open(settings.url(), settings.user(), settings.password(), settings.compactInterval());
  }

  /** With the default compaction interval (readers: the report command, tests). */
  public static JournalStore open(String configuredUrl, String user, Secret password) {
    return open(configuredUrl, user, password, Duration.ofSeconds(30));
  }

  public static JournalStore open(
      String configuredUrl, String user, Secret password, Duration compactInterval) {
    String url = durable(configuredUrl);
    try {
      Flyway.configure()
          .dataSource(url, user, password.reveal())
          .locations("classpath:db/migration")
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new JournalException(
          "journal schema migration failed for " + url + ": " + e.getMessage(), e);
    }
    JournalStore store = new JournalStore(url, user, password, compactInterval);
    try {
      store.connection();
    } catch (SQLException e) {
      throw new JournalException("cannot connect to journal " + url + ": " + e.getMessage(), e);
    }
    return store;
  }

  /**
   * H2 keeps committed changes in memory for up to WRITE_DELAY (500 ms by default), so a killed
   * process would lose rows it already reported as written. WRITE_DELAY=0 cures that but also stops
   * H2's background writer, whose housekeeping is what reclaims dead MVStore chunks: every commit
   * then leaves a chunk behind for good (about 16 KB of file and a chunk object on the heap per
   * commit: 60 MB and 15,000 chunks after a 60-minute soak). So an H2 file journal keeps the
   * background writer, makes each commit durable itself with a CHECKPOINT ({@link
   * #checkpointsEachCommit}), lets the housekeeping reuse dead chunks after 5 s instead of 45 s (0
   * is known to corrupt MVStore files), and keeps a small page cache because the journal is
   * written, rarely read: 1 MB (at 4 MB the cache's rows filled 3.3 MB of the trading process's
   * heap in a soak's first 15 minutes, its whole growth after the gateway leak was fixed). An
   * operator who sets WRITE_DELAY chose a delay: the URL is kept as given.
   */
  static String durable(String url) {
    if (!isH2File(url) || hasSetting(url, "WRITE_DELAY")) {
      return url;
    }
    String tuned = url;
    if (!hasSetting(url, "RETENTION_TIME")) {
      tuned += ";RETENTION_TIME=" + H2_RETENTION_MILLIS;
    }
    if (!hasSetting(url, "CACHE_SIZE")) {
      tuned += ";CACHE_SIZE=" + H2_CACHE_KB;
    }
    return tuned;
  }

  /** True when {@link #append} must checkpoint after its commit for the rows to be on disk. */
  static boolean checkpointsEachCommit(String url) {
    return isH2File(url) && !hasSetting(url, "WRITE_DELAY");
  }

  private static final int H2_RETENTION_MILLIS = 5_000;
  private static final int H2_CACHE_KB = 1_024;

  private static boolean isH2File(String url) {
    return url.startsWith("jdbc:h2:")
        && !url.startsWith("jdbc:h2:mem:")
        && !url.startsWith("jdbc:h2:tcp:")
        && !url.startsWith("jdbc:h2:ssl:");
  }

  private static boolean hasSetting(String url, String name) {
    return url.toUpperCase(java.util.Locale.ROOT).contains(";" + name + "=");
  }

  public String url() {
    return url;
  }

  private Connection connection() throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, user, password.reveal());
      connection.setAutoCommit(false);
    }
    return connection;
  }

  /**
   * Writes the entries in one transaction and returns the rows inserted (a fill already present is
   * skipped). On failure nothing is written and the exception is rethrown.
   */
  public synchronized int append(List<? extends JournalEntry> entries) throws SQLException {
    if (entries.isEmpty()) {
      return 0;
    }
    Connection c = connection();
    try (PreparedStatement orders = c.prepareStatement(INSERT_ORDER_EVENT);
        PreparedStatement fills = c.prepareStatement(INSERT_FILL);
        PreparedStatement funding = c.prepareStatement(INSERT_FUNDING)) {
      int nOrders = 0;
      int nFills = 0;
      int nFunding = 0;
      for (JournalEntry e : entries) {
        if (e instanceof FillRecorded f) {
          bindFill(fills, f);
          fills.addBatch();
          nFills++;
        } else if (e instanceof FundingRecorded f) {
          funding.setString(1, f.symbol());
          funding.setBigDecimal(2, f.amount());
          funding.setString(3, f.asset());
          funding.setLong(4, f.time().toEpochMilli());
          funding.addBatch();
          nFunding++;
        } else {
          bindOrderEvent(orders, e);
          orders.addBatch();
          nOrders++;
        }
      }
      int inserted = 0;
      if (nOrders > 0) {
        inserted += sum(orders.executeBatch());
      }
      if (nFills > 0) {
        inserted += sum(fills.executeBatch());
      }
      if (nFunding > 0) {
        inserted += sum(funding.executeBatch());
      }
      c.commit();
      if (checkpointEachCommit) {
        checkpoint(c);
        compactIfDue(c);
      }
      return inserted;
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e;
    }
  }

  /**
   * Writes the committed rows to the file now. Failing here must not fail the append: the rows are
   * committed, and a retry would journal the order events twice; they reach the file with H2's
   * background writer instead.
   */
  private void checkpoint(Connection c) {
    try (java.sql.Statement s = c.createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      checkpointFailures++;
      if (checkpointFailures == 1 || checkpointFailures % 1000 == 0) {
        log.warn(
            "journal checkpoint failed ({} so far): committed rows reach {} within H2's write delay instead: {}",
            checkpointFailures,
            url,
            e.getMessage());
      }
    }
  }

  /**
   * Every commit forced to the file leaves a chunk behind that later commits empty page by page;
   * H2's housekeeping rewrites such sparse chunks only while the store is idle, which a journal
   * written every few hundred milliseconds never is. So the journal does it itself, through H2's
   * own MVStore (no SQL command compacts a live database): chunks under 90 % fill are rewritten, up
   * to 16 MB a pass, and the emptied ones are dropped after the retention time. A failure costs
   * only the compaction: the rows are committed.
   */
  private void compactIfDue(Connection c) {
    long now = System.nanoTime();
    if (now - lastCompactNanos < compactIntervalNanos) {
      return;
    }
    lastCompactNanos = now;
    try {
      org.h2.mvstore.MVStore store = mvStore(c);
      if (store != null) {
        store.compact(90, 16 << 20);
        compactions++;
      }
    } catch (SQLException | RuntimeException | LinkageError e) {
      compactFailures++;
      if (compactFailures == 1 || compactFailures % 100 == 0) {
        log.warn(
            "journal compaction failed ({} so far); the file and H2's chunk list grow until it"
                + " works again: {}",
            compactFailures,
            e.toString());
      }
    }
  }

  /** The H2 store under an embedded connection; null for anything else. */
  private static org.h2.mvstore.MVStore mvStore(Connection c) throws SQLException {
    if (!c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)) {
      return null;
    }
    if (!(c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()
        instanceof org.h2.engine.SessionLocal session)) {
      return null;
    }
    org.h2.mvstore.db.Store store = session.getDatabase().getStore();
    return store == null ? null : store.getMvStore();
  }

  /** Compaction passes run since the store opened (H2 file journals only). */
  public synchronized long compactions() {
    return compactions;
  }

  /** Compaction passes that failed since the store opened. */
  public synchronized long compactFailures() {
    return compactFailures;
  }

  /**
   * H2's count of chunks in the file, from {@code INFORMATION_SCHEMA.SETTINGS}; -1 when the
   * database does not report one.
   */
  public synchronized long chunkCount() throws SQLException {
    try (PreparedStatement s =
            connection()
                .prepareStatement(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'info.CHUNK_COUNT'");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? Long.parseLong(rs.getString(1)) : -1;
    } catch (SQLException e) {
      return -1;
    } finally {
      endRead();
    }
  }

  /**
   * Checkpoints that failed since the store opened (the rows were committed but not forced to the
   * file).
   */
  public synchronized long checkpointFailures() {
    return checkpointFailures;
  }

  /**
   * What {@link #appendIsolating} did: rows inserted, entries the database refused as invalid
   * (dropped: retrying cannot help), entries to retry later (the database is unavailable) and the
   * first error seen.
   */
  public record AppendResult(
      int inserted, List<JournalEntry> rejected, List<JournalEntry> retry, Exception failure) {}

  /**
   * Appends the batch in one transaction; if that fails, writes the entries one by one so that a
   * single invalid entry (SQLState class 22 data or 23 constraint) cannot block the journal. On any
   * other error the entries not yet written are returned for retry, in order.
   */
  public synchronized AppendResult appendIsolating(List<? extends JournalEntry> batch) {
    try {
      return new AppendResult(append(batch), List.of(), List.of(), null);
    } catch (SQLException | RuntimeException batchFailure) {
      int inserted = 0;
      List<JournalEntry> rejected = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        JournalEntry e = batch.get(i);
        try {
          inserted += append(List.of(e));
        } catch (SQLException single) {
          String state = single.getSQLState() == null ? "" : single.getSQLState();
          if (state.startsWith("22") || state.startsWith("23")) {
            rejected.add(e);
          } else {
            return new AppendResult(
                inserted, rejected, List.copyOf(batch.subList(i, batch.size())), single);
          }
        } catch (RuntimeException single) {
          rejected.add(e); // could not even be bound: invalid
        }
      }
      return new AppendResult(inserted, rejected, List.of(), batchFailure);
    }
  }

  private static int sum(int[] counts) {
    int n = 0;
    for (int c : counts) {
      // SUCCESS_NO_INFO (-2) means "done, count unknown": count it as one row.
      n += c == java.sql.Statement.SUCCESS_NO_INFO ? 1 : Math.max(c, 0);
    }
    return n;
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is being discarded anyway
      }
      try {
        connection.close();
      } catch (SQLException ignored) {
        // idem
      }
      connection = null;
    }
  }

  private static void bindFill(PreparedStatement s, FillRecorded f) throws SQLException {
    s.setString(1, f.symbol());
    s.setLong(2, f.tradeId());
    s.setLong(3, f.orderId());
    s.setString(4, f.clientOrderId());
    s.setString(5, f.side());
    s.setBigDecimal(6, f.price());
    s.setBigDecimal(7, f.qty());
    s.setBigDecimal(8, f.commission());
    s.setBigDecimal(9, f.realizedPnl());
    s.setBoolean(10, f.maker());
    s.setLong(11, f.time().toEpochMilli());
    s.setString(12, f.symbol());
    s.setLong(13, f.tradeId());
  }

  private static void bindOrderEvent(PreparedStatement s, JournalEntry e) throws SQLException {
    String kind;
    String clientOrderId;
    Long orderId = null;
    String side = null;
    String type = null;
    String tif = null;
    BigDecimal price = null;
    BigDecimal qty = null;
    Boolean reduceOnly = null;
    String status = null;
    Integer code = null;
    String reason = null;
    if (e instanceof OrderRequested r) {
      kind = "REQUESTED";
      clientOrderId = r.clientOrderId();
      side = r.side();
      type = r.type();
      tif = r.timeInForce();
      price = r.price();
      qty = r.quantity();
      reduceOnly = r.reduceOnly();
    } else if (e instanceof OrderAcked a) {
      kind = "ACKED";
      clientOrderId = a.clientOrderId();
      orderId = a.orderId();
      status = a.status();
    } else if (e instanceof OrderRejected r) {
      kind = "REJECTED";
      clientOrderId = r.clientOrderId();
      code = r.code();
      reason = r.reason();
    } else if (e instanceof OrderAmended a) {
      kind = "AMENDED";
      clientOrderId = a.clientOrderId();
      orderId = a.orderId();
      price = a.price();
      qty = a.quantity();
    } else if (e instanceof OrderCanceled c) {
      kind = "CANCELED";
      clientOrderId = c.clientOrderId();
      orderId = c.orderId();
      reason = c.reason();
    } else {
      throw new IllegalArgumentException("not an order event: " + e.getClass().getSimpleName());
    }
    s.setString(1, kind);
    s.setString(2, e.symbol());
    s.setString(3, clientOrderId);
    setLong(s, 4, orderId);
    s.setString(5, side);
    s.setString(6, type);
    s.setString(7, tif);
    s.setBigDecimal(8, price);
    s.setBigDecimal(9, qty);
    if (reduceOnly == null) {
      s.setNull(10, Types.BOOLEAN);
    } else {
      s.setBoolean(10, reduceOnly);
    }
    s.setString(11, status);
    if (code == null) {
      s.setNull(12, Types.INTEGER);
    } else {
      s.setInt(12, code);
    }
    s.setString(13, reason == null ? null : truncate(reason, 512));
    s.setLong(14, e.time().toEpochMilli());
  }

  private static void setLong(PreparedStatement s, int i, Long v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.BIGINT);
    } else {
      s.setLong(i, v);
    }
  }

  private static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  /** Highest journaled trade id per symbol. */
  public synchronized Map<String, Long> lastTradeIds() throws SQLException {
    Map<String, Long> out = new TreeMap<>();
    try (PreparedStatement s =
            connection()
                .prepareStatement(
                    "SELECT symbol, MAX(trade_id) FROM journal_fill GROUP BY symbol");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
    } finally {
      endRead();
    }
    return out;
  }

  public synchronized OptionalLong lastTradeId(String symbol) throws SQLException {
    try (PreparedStatement s =
        connection().prepareStatement("SELECT MAX(trade_id) FROM journal_fill WHERE symbol = ?")) {
      s.setString(1, symbol);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        long v = rs.getLong(1);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
      }
    } finally {
      endRead();
    }
  }

  /** All fills, oldest first. */
  public synchronized List<FillRecorded> fills() throws SQLException {
    List<FillRecorded> out = new ArrayList<>();
    try (PreparedStatement s =
            connection()
                .prepareStatement(
                    "SELECT symbol, trade_id, order_id, client_order_id, side, price, quantity, commission, realized_pnl,"
                        + " maker, trade_time FROM journal_fill ORDER BY trade_time, symbol, trade_id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(
            new FillRecorded(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                rs.getBigDecimal(6),
                rs.getBigDecimal(7),
                rs.getBigDecimal(8),
                rs.getBigDecimal(9),
                rs.getBoolean(10),
                Instant.ofEpochMilli(rs.getLong(11))));
      }
    } finally {
      endRead();
    }
    return out;
  }

  /** All funding payments, oldest first. */
  public synchronized List<FundingRecorded> funding() throws SQLException {
    List<FundingRecorded> out = new ArrayList<>();
    try (PreparedStatement s =
            connection()
                .prepareStatement(
                    "SELECT symbol, amount, asset, funding_time FROM journal_funding ORDER BY funding_time, id");
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        out.add(
            new FundingRecorded(
                rs.getString(1),
                rs.getBigDecimal(2),
                rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(4))));
      }
    } finally {
      endRead();
    }
    return out;
  }

  /** Order events in journal order (all of them when {@code clientOrderId} is null). */
  public synchronized List<JournalEntry> orderEvents(String clientOrderId) throws SQLException {
    List<JournalEntry> out = new ArrayList<>();
    String sql =
        "SELECT kind, symbol, client_order_id, order_id, side, order_type, time_in_force, price, quantity,"
            + " reduce_only, status, error_code, reason, event_time FROM journal_order_event"
            + (clientOrderId == null ? "" : " WHERE client_order_id = ?")
            + " ORDER BY id";
    try (PreparedStatement s = connection().prepareStatement(sql)) {
      if (clientOrderId != null) {
        s.setString(1, clientOrderId);
      }
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(orderEvent(rs));
        }
      }
    } finally {
      endRead();
    }
    return out;
  }

  private static JournalEntry orderEvent(ResultSet rs) throws SQLException {
    String kind = rs.getString(1);
    String symbol = rs.getString(2);
    String coid = rs.getString(3);
    long orderId = rs.getLong(4);
    Instant time = Instant.ofEpochMilli(rs.getLong(14));
    return switch (kind) {
      case "REQUESTED" ->
          new OrderRequested(
              symbol,
              coid,
              rs.getString(5),
              rs.getString(6),
              rs.getString(7),
              rs.getBigDecimal(8),
              rs.getBigDecimal(9),
              rs.getBoolean(10),
              time);
      case "ACKED" -> new OrderAcked(symbol, coid, orderId, rs.getString(11), time);
      case "REJECTED" -> new OrderRejected(symbol, coid, rs.getInt(12), rs.getString(13), time);
      case "AMENDED" ->
          new OrderAmended(symbol, coid, orderId, rs.getBigDecimal(8), rs.getBigDecimal(9), time);
      case "CANCELED" -> new OrderCanceled(symbol, coid, orderId, rs.getString(13), time);
      default -> throw new SQLException("unknown journal_order_event.kind " + kind);
    };
  }

  /** Reads run in the writer's transaction mode; end it so that they see later commits. */
  private void endRead() throws SQLException {
    if (connection != null) {
      connection.commit();
    }
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // closing at shutdown; nothing useful to do
      }
      connection = null;
    }
  }
}
