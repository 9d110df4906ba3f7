package io.phoenix.backtest;

import io.phoenix.binance.ws.AggTradeFrame;
import io.phoenix.binance.ws.BookTickerFrame;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthSnapshotReader;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.binance.ws.LevelArray;
import io.phoenix.binance.ws.MarkPriceFrame;
import io.phoenix.binance.ws.MarketFrameDecoder;
import io.phoenix.binance.ws.MarketFrameHandler;
import io.phoenix.binance.ws.SubscriptionReply;
import io.phoenix.core.Instrument;
import io.phoenix.market.DepthDiff;
import io.phoenix.market.TickerTop;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recorded market data in memory, in receive-time order, decoded once by the live {@link
 * MarketFrameDecoder} (and {@link DepthSnapshotReader} for the REST snapshots written between the
 * frames) into columns. Immutable once loaded, so the runs of a sweep share it across threads.
 *
 * <p>Input: hftbacktest's raw collector format, which Phoenix's recorder writes too: one message a
 * line, {@code <receive time, ns since epoch> <raw JSON>}, gzip (several gzip members, as an
 * appended file has, are fine) or plain. A line that cannot be read is counted and skipped; a
 * truncated gzip (a recorder that was killed) ends that file with a warning.
 */
public final class MarketData {
  private static final Logger log = LoggerFactory.getLogger(MarketData.class);

  /** Kinds of event. */
  public static final byte DEPTH = 0;

  public static final byte TICKER = 1;
  public static final byte TRADE = 2;
  public static final byte MARK = 3;
  public static final byte SNAPSHOT = 4;

  /**
   * A REST depth snapshot as recorded: the body for the live book code, the levels for the
   * exchange's book.
   */
  public record Snapshot(
      long lastUpdateId,
      long eventTime,
      byte[] body,
      long[] bidPrices,
      long[] bidQtys,
      long[] askPrices,
      long[] askQtys) {}

  /** What loading found, besides the events. */
  public record Stats(
      List<String> files,
      long lines,
      long skippedLines,
      Map<DecodeError, Long> decodeErrors,
      long truncatedFiles) {}

  private final Instrument[] instruments;
  private final int count;
  private final byte[] kind;
  private final int[] symbol;
  private final long[] recvNanos;
  private final long[] eventMillis;
  private final long[] a;
  private final long[] b;
  private final long[] c;
  private final long[] d;
  private final Object[] ref;
  private final long levelEvents;
  private final Stats stats;

  private MarketData(List<Chunk> chunks, Stats stats) {
    int total = 0;
    List<Instrument> seen = new ArrayList<>();
    long levels = 0;
    for (Chunk ch : chunks) {
      total += ch.n;
      levels += ch.levelEvents;
      for (Instrument i : ch.seen) {
        if (!seen.contains(i)) {
          seen.add(i);
        }
      }
    }
    this.instruments = seen.toArray(new Instrument[0]);
    this.count = total;
    this.kind = new byte[count];
    this.symbol = new int[count];
    this.recvNanos = new long[count];
    this.eventMillis = new long[count];
    this.a = new long[count];
    this.b = new long[count];
    this.c = new long[count];
    this.d = new long[count];
    this.ref = new Object[count];
    int at = 0;
    for (Chunk ch : chunks) {
      System.arraycopy(ch.kind, 0, kind, at, ch.n);
      System.arraycopy(ch.symbol, 0, symbol, at, ch.n);
      System.arraycopy(ch.recvNanos, 0, recvNanos, at, ch.n);
      System.arraycopy(ch.eventMillis, 0, eventMillis, at, ch.n);
      System.arraycopy(ch.a, 0, a, at, ch.n);
      System.arraycopy(ch.b, 0, b, at, ch.n);
      System.arraycopy(ch.c, 0, c, at, ch.n);
      System.arraycopy(ch.d, 0, d, at, ch.n);
      for (int i = 0; i < ch.n; i++) {
        ref[at + i] = ch.ref.get(i);
      }
      at += ch.n;
    }
    this.levelEvents = levels;
    this.stats = stats;
    sortByReceiveTime();
  }

  /**
   * Several files, or a recorder's threads stamping slightly out of order: a stable sort by time.
   */
  private void sortByReceiveTime() {
    boolean sorted = true;
    for (int i = 1; i < count && sorted; i++) {
      sorted = recvNanos[i] >= recvNanos[i - 1];
    }
    if (sorted) {
      return;
    }
    Integer[] order = new Integer[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    long[] keys = recvNanos.clone();
    Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
    byte[] k2 = kind.clone();
    int[] s2 = symbol.clone();
    long[] e2 = eventMillis.clone();
    long[] a2 = a.clone();
    long[] b2 = b.clone();
    long[] c2 = c.clone();
    long[] d2 = d.clone();
    Object[] r2 = ref.clone();
    for (int i = 0; i < count; i++) {
      int j = order[i];
      kind[i] = k2[j];
      symbol[i] = s2[j];
      recvNanos[i] = keys[j];
      eventMillis[i] = e2[j];
      a[i] = a2[j];
      b[i] = b2[j];
      c[i] = c2[j];
      d[i] = d2[j];
      ref[i] = r2[j];
    }
  }

  /**
   * Loads {@code files} (any mix of symbols and days), merged in receive-time order. Each file is
   * unpacked whole, then its lines are decoded in slices on half the cores (a decoder per slice):
   * the other half is left to the JIT compiler, which on a small machine otherwise competes with
   * the decoders (measured on 2 cores: one decoding thread loads the shipped file in ~1.2 s cold,
   * two in ~2.1 s).
   *
   * @param registry the instruments frames may name (their filters scale prices and quantities)
   */
  public static MarketData load(List<Path> files, InstrumentRegistry registry) throws IOException {
    return load(files, registry, Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  /**
   * {@link #load(List, InstrumentRegistry)} with {@code threads} decoding slices of each large
   * file.
   */
  static MarketData load(List<Path> files, InstrumentRegistry registry, int threads)
      throws IOException {
    List<Chunk> chunks = new ArrayList<>();
    List<String> names = new ArrayList<>();
    long truncated = 0;
    for (Path file : files) {
      names.add(file.toString());
      Unpacked text = unpack(file);
      if (text.truncated) {
        truncated++;
      }
      Instrument named = instrumentFromName(file, registry);
      List<Chunk> slices = new ArrayList<>();
      int slicesWanted = text.length < (4 << 20) ? 1 : threads;
      int from = 0;
      for (int k = 0; k < slicesWanted && from < text.length; k++) {
        int to =
            k == slicesWanted - 1
                ? text.length
                : lineEnd(
                    text.bytes, from + (text.length - from) / (slicesWanted - k), text.length);
        slices.add(new Chunk(registry, file, named, text.bytes, from, to));
        from = to;
      }
      if (slices.size() == 1) {
        slices.get(0).run();
      } else {
        List<Thread> workers = new ArrayList<>();
        for (Chunk ch : slices) {
          Thread t = new Thread(ch, "recording-decode");
          t.setDaemon(true);
          t.start();
          workers.add(t);
        }
        for (Thread t : workers) {
          try {
            t.join();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while decoding " + file, e);
          }
        }
      }
      chunks.addAll(slices);
    }
    long lines = 0;
    long skipped = 0;
    Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
    for (Chunk ch : chunks) {
      lines += ch.lines;
      skipped += ch.skipped;
      ch.errors.forEach((k, v) -> errors.merge(k, v, Long::sum));
    }
    return new MarketData(
        chunks, new Stats(List.copyOf(names), lines, skipped, Map.copyOf(errors), truncated));
  }

  /** A file's text, unpacked when gzip; a truncated gzip keeps what could be read. */
  private record Unpacked(byte[] bytes, int length, boolean truncated) {}

  private static Unpacked unpack(Path file) throws IOException {
    byte[] buf =
        new byte[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(1 << 16, Files.size(file) * 8))];
    int length = 0;
    boolean truncated = false;
    try (InputStream in = open(file)) {
      while (true) {
        if (length == buf.length) {
          buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, (long) buf.length * 2));
        }
        int r = in.read(buf, length, buf.length - length);
        if (r < 0) {
          break;
        }
        length += r;
      }
    } catch (EOFException | ZipException e) {
      truncated = true;
      log.warn("{} ends early ({}): reading what came before", file, e.getMessage());
    }
    return new Unpacked(buf, length, truncated);
  }

  private static InputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    // gzip magic 1f 8b; GZIPInputStream reads concatenated members, as an appended recording has
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
  }

  /** The index after the newline at or after {@code from}. */
  private static int lineEnd(byte[] bytes, int from, int length) {
    int i = from;
    while (i < length && bytes[i] != '\n') {
      i++;
    }
    return Math.min(length, i + 1);
  }

  /**
   * A recorder names its files {@code <symbol lower case>_<yyyymmdd>.gz}; the frames name it too.
   */
  private static Instrument instrumentFromName(Path file, InstrumentRegistry registry) {
    String name = file.getFileName().toString();
    int underscore = name.indexOf('_');
    return underscore > 0
        ? registry.find(name.substring(0, underscore).toUpperCase(Locale.ROOT))
        : null;
  }

  public int size() {
    return count;
  }

  /** The symbols that occur, in order of first appearance. */
  public List<Instrument> instruments() {
    return List.of(instruments);
  }

  public byte kind(int i) {
    return kind[i];
  }

  public int symbolId(int i) {
    return symbol[i];
  }

  /** Local receive time, ns since epoch. */
  public long recvNanos(int i) {
    return recvNanos[i];
  }

  /** The exchange's event time {@code E}, ms since epoch (0 when the message had none). */
  public long eventMillis(int i) {
    return eventMillis[i];
  }

  public DepthDiff depth(int i) {
    return (DepthDiff) ref[i];
  }

  /** A {@link #TICKER} event as the local book takes it. */
  public TickerTop ticker(int i) {
    return (TickerTop) ref[i];
  }

  public Snapshot snapshot(int i) {
    return (Snapshot) ref[i];
  }

  /** Trade price in ticks; ticker bid price; mark price. */
  public long a(int i) {
    return a[i];
  }

  /** Trade quantity in steps; ticker bid quantity; funding rate in 1e-8. */
  public long b(int i) {
    return b[i];
  }

  /**
   * Trade flags ({@link #BUYER_MAKER}, {@link #BOOK_TRADE}); ticker ask price; next funding time
   * (ms).
   */
  public long c(int i) {
    return c[i];
  }

  /** Trade time (ms); ticker ask quantity. */
  public long d(int i) {
    return d[i];
  }

  public static final long BUYER_MAKER = 1;
  public static final long BOOK_TRADE = 2;

  /**
   * Events counted as hftbacktest does: one per changed depth level (diffs and snapshots), trade,
   * book ticker and mark price.
   */
  public long levelEvents() {
    return levelEvents;
  }

  public Stats stats() {
    return stats;
  }

  public long count(byte eventKind) {
    long n = 0;
    for (int i = 0; i < count; i++) {
      if (kind[i] == eventKind) {
        n++;
      }
    }
    return n;
  }

  /** Decodes one slice of a file's lines into columns, on its own thread with its own decoder. */
  private static final class Chunk implements MarketFrameHandler, Runnable {
    private final MarketFrameDecoder decoder;
    private final Path file;
    private final byte[] text;
    private final int from;
    private final int to;
    private final boolean[] seenIds;
    private final DepthSnapshotReader snapshotDecoder = new DepthSnapshotReader();
    private final List<Instrument> seen = new ArrayList<>();
    private final Map<DecodeError, Long> errors = new EnumMap<>(DecodeError.class);
    private byte[] kind = new byte[1024];
    private int[] symbol = new int[1024];
    private long[] recvNanos = new long[1024];
    private long[] eventMillis = new long[1024];
    private long[] a = new long[1024];
    private long[] b = new long[1024];
    private long[] c = new long[1024];
    private long[] d = new long[1024];
    private final List<Object> ref = new ArrayList<>();
    private int n;
    private long lines;
    private long skipped;
    private long levelEvents;
    private long lineNanos;
    private Instrument fileInstrument;

    Chunk(InstrumentRegistry registry, Path file, Instrument named, byte[] text, int from, int to) {
      this.decoder = new MarketFrameDecoder(registry, this);
      this.file = file;
      this.fileInstrument = named;
      this.text = text;
      this.from = from;
      this.to = to;
      this.seenIds = new boolean[registry.idLimit()];
    }

    @Override
    public void run() {
      int start = from;
      while (start < to) {
        int end = start;
        while (end < to && text[end] != '\n') {
          end++;
        }
        int stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
        lines++;
        line(start, stop);
        start = end + 1;
      }
    }

    private void line(int start, int end) {
      byte[] buf = text;
      int space = start;
      long nanos = 0;
      while (space < end && buf[space] >= '0' && buf[space] <= '9') {
        nanos = nanos * 10 + (buf[space] - '0');
        space++;
      }
      if (space == start || space - start > 19 || space >= end || buf[space] != ' ') {
        if (end > start) {
          skip(file, "no receive time");
        }
        return;
      }
      int json = space + 1;
      lineNanos = nanos;
      if (startsWith(buf, json, end, SNAPSHOT_PREFIX)) {
        snapshot(Arrays.copyOfRange(buf, json, end), file);
      } else {
        decoder.decode(buf, json, end - json);
      }
    }

    private static final byte[] SNAPSHOT_PREFIX =
        "{\"lastUpdateId\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean startsWith(byte[] buf, int from, int length, byte[] prefix) {
      if (length - from < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (buf[from + i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    private void snapshot(byte[] body, Path file) {
      Instrument ins =
          fileInstrument != null
              ? fileInstrument
              : (seen.isEmpty() ? null : seen.get(seen.size() - 1));
      if (ins == null) {
        skip(file, "a depth snapshot whose symbol is unknown (name the file <symbol>_<day>.gz)");
        return;
      }
      DecodeError error = snapshotDecoder.decode(body, ins);
      if (error != null) {
        onDecodeError(error, ins.id());
        return;
      }
      LevelArray bids = snapshotDecoder.bids();
      LevelArray asks = snapshotDecoder.asks();
      int k = add(SNAPSHOT, ins, snapshotDecoder.eventTime());
      ref.set(
          k,
          new Snapshot(
              snapshotDecoder.lastUpdateId(),
              snapshotDecoder.eventTime(),
              body,
              bids.copyPrices(),
              bids.copyQuantities(),
              asks.copyPrices(),
              asks.copyQuantities()));
      levelEvents += bids.size() + asks.size();
    }

    private void skip(Path file, String why) {
      skipped++;
      if (skipped <= 10) {
        log.warn("{} line {} skipped: {}", file, lines, why);
      }
    }

    private int add(byte k, Instrument ins, long eventTime) {
      if (n == kind.length) {
        int size = n * 2;
        kind = Arrays.copyOf(kind, size);
        symbol = Arrays.copyOf(symbol, size);
        recvNanos = Arrays.copyOf(recvNanos, size);
        eventMillis = Arrays.copyOf(eventMillis, size);
        a = Arrays.copyOf(a, size);
        b = Arrays.copyOf(b, size);
        c = Arrays.copyOf(c, size);
        d = Arrays.copyOf(d, size);
      }
      if (!seenIds[ins.id()]) {
        seenIds[ins.id()] = true;
        seen.add(ins);
      }
      kind[n] = k;
      symbol[n] = ins.id();
      recvNanos[n] = lineNanos;
      eventMillis[n] = eventTime;
      ref.add(null);
      return n++;
    }

    @Override
    public void onDepthUpdate(DepthUpdateFrame frame) {
      if (frame.partial()) {
        skipped++; // a top-N book is not a diff: it cannot keep a book
        return;
      }
      int k = add(DEPTH, frame.instrument(), frame.eventTime());
      ref.set(k, DepthDiff.copyOf(frame, lineNanos));
      levelEvents += frame.bids().size() + frame.asks().size();
    }

    @Override
    public void onBookTicker(BookTickerFrame frame) {
      int k = add(TICKER, frame.instrument(), frame.eventTime());
      ref.set(k, TickerTop.of(frame, lineNanos));
      a[k] = frame.bidPrice();
      b[k] = frame.bidQuantity();
      c[k] = frame.askPrice();
      d[k] = frame.askQuantity();
      levelEvents++;
    }

    @Override
    public void onAggTrade(AggTradeFrame frame) {
      int k = add(TRADE, frame.instrument(), frame.eventTime());
      a[k] = frame.price();
      // RPI fills never touched the public book our orders rest in
      b[k] = frame.nonRpiQuantity();
      c[k] = (frame.buyerMaker() ? BUYER_MAKER : 0) | (frame.marketTrade() ? BOOK_TRADE : 0);
      d[k] = frame.tradeTime();
      levelEvents++;
    }

    @Override
    public void onMarkPrice(MarkPriceFrame frame) {
      int k = add(MARK, frame.instrument(), frame.eventTime());
      a[k] = frame.markPrice();
      b[k] = frame.fundingRateE8();
      c[k] = frame.nextFundingTime();
      levelEvents++;
    }

    @Override
    public void onSubscriptionReply(SubscriptionReply reply) {
      // a recorder that subscribed after connecting writes the answer; nothing to replay
    }

    @Override
    public void onDecodeError(DecodeError error, int symbolId) {
      errors.merge(error, 1L, Long::sum);
      skipped++;
      if (skipped <= 10) {
        log.warn("recording line {} not decodable: {}", lines, error);
      }
    }
  }
}
