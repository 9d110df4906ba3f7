package io.phoenix.bench;

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
import io.phoenix.market.DepthDiff;
import io.phoenix.market.OrderBook;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hot path of market data: a 10-level-per-side {@code depthUpdate} frame (20 price levels, two of
 * them alternately deleted and re-inserted) decoded and applied to a 50-level book.
 *
 * <ul>
 *   <li>{@code decodeAndApply}: decoder into the reusable frame, then {@link BookSynchronizer}
 *       sequencing and {@link OrderBook} update in place (a quoter that owns its feed).
 *   <li>{@code decodeOnly}: the Jackson streaming decode into ticks and steps.
 *   <li>{@code applyOnly}: the 20 level updates on the book.
 *   <li>{@code decodeCopyApply}: today's feed to book-keeper path, with the immutable {@link
 *       DepthDiff} copy that crosses actors.
 * </ul>
 *
 * <p>Update ids are rewritten in the frame bytes before each call, so every frame continues the
 * {@code pu} chain and is really applied; {@link #checkApplied} fails the run otherwise.
 *
 * <p>Run: {@code mvn -B -q -o -Pbench -DskipTests package && java -jar target/benchmarks.jar
 * DepthApplyBenchmark -f 1 -wi 2 -i 3 -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class DepthApplyBenchmark {
  private static final Instrument ETH =
      new Instrument(
          0,
          "ETHUSDT",
          Scale.of("0.01"),
          Scale.of("0.001"),
          1,
          100_000_000,
          1,
          1_000_000_000,
          5.0,
          200,
          1.05,
          0.95);
  private static final long SNAPSHOT_ID = 2_000_000_000_000L;

  private byte[] frameA;
  private byte[] frameB;
  private int[] idPositions;
  private long lastU;
  private boolean toggle;

  private OrderBook book;
  private BookSynchronizer sync;
  private MarketFrameDecoder applyingDecoder;
  private MarketFrameDecoder copyingDecoder;
  private MarketFrameDecoder plainDecoder;
  private BookSynchronizer.Result lastResult;
  private long decodedLevels;

  private long[][] applyPrices;
  private long[][] applyQtys;

  @Setup(Level.Trial)
  public void setUp() {
    frameA = template(false).getBytes(StandardCharsets.US_ASCII);
    frameB = template(true).getBytes(StandardCharsets.US_ASCII);
    String text = new String(frameA, StandardCharsets.US_ASCII);
    idPositions =
        new int[] {
          text.indexOf("\"U\":") + 4, text.indexOf("\"u\":") + 4, text.indexOf("\"pu\":") + 5
        };
    InstrumentRegistry registry = InstrumentRegistry.of(List.of(ETH));
    book = new OrderBook(0);
    sync = new BookSynchronizer(book, 1000);
    long[] bidPrices = new long[50];
    long[] askPrices = new long[50];
    long[] qtys = new long[50];
    for (int i = 0; i < 50; i++) {
      bidPrices[i] = 340_999 - i;
      askPrices[i] = 341_001 + i;
      qtys[i] = 1_000 + i;
    }
    sync.onSnapshot(SNAPSHOT_ID, bidPrices, qtys, askPrices, qtys);
    lastU = SNAPSHOT_ID - 1; // the first frame then spans the snapshot: U = L, u = L + 1
    applyingDecoder = new MarketFrameDecoder(registry, new Handler(0));
    copyingDecoder = new MarketFrameDecoder(registry, new Handler(1));
    plainDecoder = new MarketFrameDecoder(registry, new Handler(2));
    applyPrices = new long[2][20];
    applyQtys = new long[2][20];
    for (int i = 0; i < 10; i++) {
      for (int t = 0; t < 2; t++) {
        applyPrices[t][i] = 340_990 + i;
        applyPrices[t][10 + i] = 341_001 + i;
        applyQtys[t][i] = t == 1 && i == 1 ? 0 : 2_000 + 7 * t + i;
        applyQtys[t][10 + i] = t == 1 && i == 8 ? 0 : 3_000 + 5 * t + i;
      }
    }
  }

  /** Frame with 10 bid and 10 ask levels; the "deleting" variant zeroes one level per side. */
  private static String template(boolean deleting) {
    StringBuilder s =
        new StringBuilder(
            "{\"e\":\"depthUpdate\",\"E\":1767225601310,\"T\":1767225601302,\"s\":\"ETHUSDT\",");
    s.append("\"U\":0000000000000,\"u\":0000000000000,\"pu\":0000000000000,\"b\":[");
    for (int i = 0; i < 10; i++) {
      String qty = deleting && i == 1 ? "0.000" : (deleting ? "2." : "1.") + (100 + i);
      s.append(i == 0 ? "" : ",")
          .append("[\"3409.")
          .append(90 + i)
          .append("\",\"")
          .append(qty)
          .append("\"]");
    }
    s.append("],\"a\":[");
    for (int i = 0; i < 10; i++) {
      String qty = deleting && i == 8 ? "0.000" : (deleting ? "3." : "4.") + (100 + i);
      s.append(i == 0 ? "" : ",")
          .append("[\"3410.")
          .append(String.format("%02d", 1 + i))
          .append("\",\"")
          .append(qty)
          .append("\"]");
    }
    return s.append("]}").toString();
  }

  private final class Handler implements MarketFrameHandler {
    private final int mode;

    Handler(int mode) {
      this.mode = mode;
    }

    @Override
    public void onDepthUpdate(DepthUpdateFrame frame) {
      switch (mode) {
        case 0 -> lastResult = sync.onDiff(frame, 0L);
        case 1 -> lastResult = sync.onDiff(DepthDiff.copyOf(frame, 0L));
        default -> decodedLevels += frame.bids().size() + frame.asks().size();
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
      throw new IllegalStateException("benchmark frame failed to decode: " + error);
    }
  }

  /** Next frame of the chain: U = previous u + 1, u = U + 1, pu = previous u. */
  private byte[] nextFrame() {
    toggle = !toggle;
    byte[] frame = toggle ? frameA : frameB;
    long first = lastU + 1;
    long last = first + 1;
    writeDigits(frame, idPositions[0], first);
    writeDigits(frame, idPositions[1], last);
    writeDigits(frame, idPositions[2], lastU);
    lastU = last;
    return frame;
  }

  private static void writeDigits(byte[] buf, int pos, long value) {
    for (int i = 12; i >= 0; i--) {
      buf[pos + i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  @Benchmark
  public BookSynchronizer.Result decodeAndApply() {
    byte[] frame = nextFrame();
    applyingDecoder.decode(frame, 0, frame.length);
    return lastResult;
  }

  /**
   * As {@link #decodeAndApply} from a {@code String}, as {@code MarketFeed} gets frames from Akka
   * HTTP.
   */
  @Benchmark
  public BookSynchronizer.Result decodeStringAndApply() {
    byte[] frame = nextFrame();
    // the String copy is harness cost (Akka HTTP hands over a fresh String per frame anyway)
    applyingDecoder.decode(new String(frame, StandardCharsets.ISO_8859_1));
    return lastResult;
  }

  @Benchmark
  public BookSynchronizer.Result decodeCopyApply() {
    byte[] frame = nextFrame();
    copyingDecoder.decode(frame, 0, frame.length);
    return lastResult;
  }

  @Benchmark
  public long decodeOnly() {
    byte[] frame = nextFrame();
    plainDecoder.decode(frame, 0, frame.length);
    return decodedLevels;
  }

  @Benchmark
  public long applyOnly() {
    toggle = !toggle;
    int t = toggle ? 0 : 1;
    long[] prices = applyPrices[t];
    long[] qtys = applyQtys[t];
    for (int i = 0; i < 10; i++) {
      book.setBid(prices[i], qtys[i]);
    }
    for (int i = 10; i < 20; i++) {
      book.setAsk(prices[i], qtys[i]);
    }
    return book.isCrossed() ? -1 : book.bestBidPrice();
  }

  @TearDown(Level.Iteration)
  public void checkApplied() {
    if (lastResult != null && lastResult != BookSynchronizer.Result.APPLIED) {
      throw new IllegalStateException("frames were not applied: " + lastResult);
    }
    if (book.isCrossed()) {
      throw new IllegalStateException("book crossed");
    }
  }
}
