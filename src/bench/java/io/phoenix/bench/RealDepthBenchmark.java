package io.phoenix.bench;

import io.phoenix.backtest.MarketData;
import io.phoenix.binance.ws.AggTradeFrame;
import io.phoenix.binance.ws.BookTickerFrame;
import io.phoenix.binance.ws.DecodeError;
import io.phoenix.binance.ws.DepthUpdateFrame;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.binance.ws.MarkPriceFrame;
import io.phoenix.binance.ws.MarketFrameDecoder;
import io.phoenix.binance.ws.MarketFrameHandler;
import io.phoenix.binance.ws.SubscriptionReply;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.market.BookSynchronizer;
import io.phoenix.market.OrderBook;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode and apply of the real Binance {@code depth@0ms} frames of the shipped recording ({@code
 * data/binance-usdm/btcusdt_20240808.gz}, 6,551 frames of 68 levels on average): each op is the
 * next frame of the file, in order, decoded from its combined-stream bytes and applied to the book
 * through {@link BookSynchronizer}; after the last frame the recording's REST snapshot is applied
 * again and the chain starts over (once per 6,551 ops). {@code maxLevels} is the book's cap per
 * side (0 = unbounded, the book before the cap); {@code decodeOnly} is the decoder alone.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench -DskipTests package && java -jar target/benchmarks.jar
 * RealDepthBenchmark -prof gc} (from the repository root, or {@code
 * -Dphoenix.bench.recording=FILE}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RealDepthBenchmark {
  static final Instrument BTC =
      new Instrument(
          0,
          "BTCUSDT",
          Scale.of("0.10"),
          Scale.of("0.001"),
          5568,
          45297640,
          1,
          1_000_000,
          100,
          200,
          1.05,
          0.95);

  @Param({"0", "200"})
  public int maxLevels;

  private byte[][] frames;
  private MarketData.Snapshot snapshot;
  private int next;
  private OrderBook book;
  private BookSynchronizer sync;
  private MarketFrameDecoder applying;
  private MarketFrameDecoder decodingOnly;
  private BookSynchronizer.Result last;
  private long levels;
  private long applied;
  private long refused;
  private long maxBookLevels;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Path file =
        Path.of(
            System.getProperty("phoenix.bench.recording", "data/binance-usdm/btcusdt_20240808.gz"));
    InstrumentRegistry registry = InstrumentRegistry.of(List.of(BTC));
    MarketData data = MarketData.load(List.of(file), registry);
    for (int i = 0; i < data.size() && snapshot == null; i++) {
      if (data.kind(i) == MarketData.SNAPSHOT) {
        snapshot = data.snapshot(i);
      }
    }
    if (snapshot == null) {
      throw new IllegalStateException(file + " holds no REST depth snapshot");
    }
    List<byte[]> depth = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        int space = line.indexOf(' ');
        if (space > 0 && line.startsWith("{\"stream\":\"btcusdt@depth", space + 1)) {
          depth.add(line.substring(space + 1).getBytes(StandardCharsets.US_ASCII));
        }
      }
    }
    frames = depth.toArray(new byte[0][]);
    book = maxLevels == 0 ? new OrderBook(0) : new OrderBook(0, maxLevels, maxLevels);
    sync = new BookSynchronizer(book, 10_000);
    applying = new MarketFrameDecoder(registry, new Handler(true));
    decodingOnly = new MarketFrameDecoder(registry, new Handler(false));
    restart();
  }

  private void restart() {
    sync.onSnapshot(
        snapshot.lastUpdateId(),
        snapshot.bidPrices(),
        snapshot.bidQtys(),
        snapshot.askPrices(),
        snapshot.askQtys());
    next = 0;
  }

  @Benchmark
  public BookSynchronizer.Result decodeAndApply() {
    if (next == frames.length) {
      restart();
    }
    byte[] frame = frames[next++];
    applying.decode(frame, 0, frame.length);
    return last;
  }

  @Benchmark
  public long decodeOnly() {
    if (next == frames.length) {
      next = 0;
    }
    byte[] frame = frames[next++];
    decodingOnly.decode(frame, 0, frame.length);
    return levels;
  }

  /** Fails the run when frames were not really applied (a broken chain measures nothing). */
  @TearDown(Level.Trial)
  public void check() {
    if (applied > 0 && refused > applied / 100) {
      throw new IllegalStateException(
          "frames not applied: " + refused + " of " + (applied + refused));
    }
    book.validateInvariants();
    System.out.printf(
        "%n%d frames, %.1f levels a frame, book at most %d levels a side (cap %s)%n",
        frames.length,
        (double) countLevels() / frames.length,
        maxBookLevels,
        maxLevels == 0 ? "none" : Integer.toString(maxLevels));
  }

  private long countLevels() {
    long n = 0;
    for (byte[] f : frames) {
      for (byte b : f) {
        n += b == '[' ? 1 : 0;
      }
      n -= 2; // every level is one bracket, plus the bid and the ask array
    }
    return n;
  }

  private final class Handler implements MarketFrameHandler {
    private final boolean apply;

    Handler(boolean apply) {
      this.apply = apply;
    }

    @Override
    public void onDepthUpdate(DepthUpdateFrame frame) {
      if (!apply) {
        levels += frame.bids().size() + frame.asks().size();
        return;
      }
      last = sync.onDiff(frame, 0L);
      if (last == BookSynchronizer.Result.APPLIED) {
        applied++;
      } else {
        refused++;
      }
      int size = Math.max(book.bidLevels(), book.askLevels());
      if (size > maxBookLevels) {
        maxBookLevels = size;
      }
    }

    @Override
    public void onBookTicker(BookTickerFrame frame) {}

    @Override
    public void onAggTrade(AggTradeFrame frame) {}

    @Override
    public void onMarkPrice(MarkPriceFrame frame) {}

    @Override
    public void onSubscriptionReply(SubscriptionReply reply) {}

    @Override
    public void onDecodeError(DecodeError error, int symbolId) {
      throw new IllegalStateException("recorded frame failed to decode: " + error);
    }
  }
}
