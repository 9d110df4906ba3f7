package io.phoenix.recorder;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.phoenix.core.Instrument;
import io.phoenix.market.FrameTap;
import io.phoenix.model.OrderEvent;
import io.phoenix.model.OrderIntent;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what it is given to gzip files on its own thread, one message a line as {@code <receive
 * time, ns since epoch> <text>} (hftbacktest's raw collector format): {@code
 * <symbol>_<yyyymmdd>.gz} per symbol and UTC day for market data and the REST depth snapshots,
 * {@code orders_<yyyymmdd>.gz} for our requests, the gateway's answers and the user stream. Files
 * rotate at UTC midnight; a file that exists already gets a new gzip member appended.
 *
 * <p>Callers (feed, risk and user-stream threads) only stamp {@link System#nanoTime()} and put the
 * message on a bounded lock-free queue; when it is full the message is dropped and counted ({@code
 * phoenix_recorder_dropped_total}), so a slow disk never stalls a feed. Timestamps of all files
 * share one clock: the epoch time at start plus {@code nanoTime} since. Formatting (of orders and
 * answers) happens on the writer thread.
 */
public final class Recorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Recorder.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final long DAY_NANOS = 86_400_000_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private enum Kind {
    MARKET,
    SNAPSHOT,
    REQUEST,
    ANSWER,
    USER,
    FLUSH
  }

  /** One message on its way to the writer; {@code payload} is text, bytes or an order record. */
  private record Item(Kind kind, long nanos, String symbol, Object payload) {}

  private final RecorderSettings settings;
  private final long epochBase;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Thread writer;
  private volatile boolean running = true;
  private volatile Instrument[] instruments = new Instrument[0];
  private final Map<String, Output> outputs = new HashMap<>();
  private final Counter dropped;
  private final Counter errors;
  private final Counter unroutable;
  private final Map<Kind, Counter> written = new LinkedHashMap<>();

  /** One open file of the current day. */
  private static final class Output {
    final long day;
    final Path path;
    final OutputStream out;

    Output(long day, Path path, OutputStream out) {
      this.day = day;
      this.path = path;
      this.out = out;
    }
  }

  private Recorder(RecorderSettings settings, MeterRegistry meters) {
    this.settings = settings;
    Instant now = Instant.now();
    this.epochBase = now.getEpochSecond() * 1_000_000_000L + now.getNano() - System.nanoTime();
    this.dropped =
        Counter.builder("phoenix.recorder.dropped")
            .description("Messages the recorder dropped because its queue was full")
            .register(meters);
    this.errors =
        Counter.builder("phoenix.recorder.errors")
            .description("Messages lost to write errors")
            .register(meters);
    this.unroutable =
        Counter.builder("phoenix.recorder.unroutable")
            .description("Frames without a symbol (subscription replies)")
            .register(meters);
    for (Kind k : Kind.values()) {
      if (k != Kind.FLUSH) {
        written.put(
            k,
            Counter.builder("phoenix.recorder.written")
                .description("Messages written by the recorder")
                .tags(Tags.of("kind", k.name().toLowerCase(Locale.ROOT)))
                .register(meters));
      }
    }
    meters.gauge("phoenix.recorder.queue", queued);
    this.writer = new Thread(this::loop, "phoenix-recorder");
    this.writer.setDaemon(true);
  }

  /** Creates the directory and starts the writer thread. */
  public static Recorder start(RecorderSettings settings, MeterRegistry meters) throws IOException {
    Files.createDirectories(settings.dir());
    Recorder recorder = new Recorder(settings, meters);
    recorder.writer.start();
    log.info("recording to {}", settings.dir().toAbsolutePath());
    return recorder;
  }

  public Path dir() {
    return settings.dir();
  }

  /** Names the symbols of order requests and answers (their ids are interned). */
  public void instruments(List<Instrument> list) {
    int size = 0;
    for (Instrument i : list) {
      size = Math.max(size, i.id() + 1);
    }
    Instrument[] byId = new Instrument[size];
    for (Instrument i : list) {
      byId[i.id()] = i;
    }
    instruments = byId;
  }

  /** Epoch nanoseconds of a {@link System#nanoTime()} stamp, on the recorder's one clock. */
  public long epochNanos(long nanoTime) {
    return epochBase + nanoTime;
  }

  // ------------------------------------------------------------------ producers (any thread)

  private void offer(Item item) {
    if (!running) {
      return;
    }
    if (queued.incrementAndGet() > settings.queueCapacity()) {
      queued.decrementAndGet();
      dropped.increment();
      return;
    }
    queue.add(item);
  }

  /** The feeds' tap: every market frame as received. */
  public FrameTap tap() {
    return (receiveNanos, text) -> offer(new Item(Kind.MARKET, receiveNanos, null, text));
  }

  /** A REST depth snapshot body as fetched, into the symbol's market file. */
  public void snapshot(String symbol, long receiveNanos, byte[] body) {
    offer(new Item(Kind.SNAPSHOT, receiveNanos, symbol.toLowerCase(Locale.ROOT), body));
  }

  /** An order request as it leaves for the gateway. */
  public void request(long nanos, OrderIntent intent) {
    offer(new Item(Kind.REQUEST, nanos, null, intent));
  }

  /** The gateway's answer about one of our requests. */
  public void answer(long nanos, OrderEvent event) {
    offer(new Item(Kind.ANSWER, nanos, null, event));
  }

  /** A user-stream frame as received. */
  public void user(long nanos, String text) {
    offer(new Item(Kind.USER, nanos, null, text));
  }

  /** Waits until everything offered so far is written and flushed; false on timeout. */
  public boolean flush(long timeoutMillis) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    queue.add(new Item(Kind.FLUSH, 0, null, done));
    return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public long dropped() {
    return (long) dropped.count();
  }

  public long errors() {
    return (long) errors.count();
  }

  public long written(String kind) {
    Counter c = written.get(Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
    return c == null ? 0 : (long) c.count();
  }

  /** Writes what is queued, closes the files (each a complete gzip), stops the thread. */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    LockSupport.unpark(writer);
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------ writer thread

  private void loop() {
    long flushEvery = settings.flushInterval().toNanos();
    long nextFlush = System.nanoTime() + flushEvery;
    while (running || !queue.isEmpty()) {
      Item item = queue.poll();
      if (item == null) {
        if (System.nanoTime() - nextFlush >= 0) {
          flushAll();
          nextFlush = System.nanoTime() + flushEvery;
        }
        LockSupport.parkNanos(1_000_000);
        continue;
      }
      if (item.kind() == Kind.FLUSH) {
        flushAll();
        ((CountDownLatch) item.payload()).countDown();
        continue;
      }
      queued.decrementAndGet();
      try {
        write(item);
      } catch (IOException | RuntimeException e) {
        errors.increment();
        if (errors.count() <= 10) {
          log.warn("recorder could not write a {} message: {}", item.kind(), e.toString());
        }
      }
      if (System.nanoTime() - nextFlush >= 0) {
        flushAll();
        nextFlush = System.nanoTime() + flushEvery;
      }
    }
    for (Output o : outputs.values()) {
      try {
        o.out.close();
      } catch (IOException e) {
        log.warn("recorder could not close {}: {}", o.path, e.toString());
      }
    }
    outputs.clear();
    Item left;
    while ((left = queue.poll()) != null) {
      if (left.kind() == Kind.FLUSH) {
        ((CountDownLatch) left.payload()).countDown();
      }
    }
  }

  private void write(Item item) throws IOException {
    long epoch = epochNanos(item.nanos());
    String text;
    String file;
    switch (item.kind()) {
      case MARKET -> {
        text = (String) item.payload();
        file = symbolOf(text);
        if (file == null) {
          unroutable.increment();
          return;
        }
      }
      case SNAPSHOT -> {
        text = new String((byte[]) item.payload(), StandardCharsets.UTF_8);
        file = item.symbol();
      }
      case REQUEST -> {
        text = request((OrderIntent) item.payload());
        file = "orders";
      }
      case ANSWER -> {
        text = answer((OrderEvent) item.payload());
        file = "orders";
      }
      default -> {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("dir", "user");
        line.put("frame", item.payload());
        text = JSON.writeValueAsString(line);
        file = "orders";
      }
    }
    OutputStream out = output(file, Math.floorDiv(epoch, DAY_NANOS));
    if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
      text = text.replace('\n', ' ').replace('\r', ' '); // one message, one line
    }
    out.write(Long.toString(epoch).getBytes(StandardCharsets.US_ASCII));
    out.write(' ');
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    written.get(item.kind()).increment();
  }

  /**
   * The symbol a frame is about, lower case: from the combined stream's name, else from {@code
   * "s"}.
   */
  static String symbolOf(String text) {
    int i = text.indexOf("\"stream\":\"");
    if (i >= 0) {
      int from = i + 10;
      int at = text.indexOf('@', from);
      if (at > from) {
        return text.substring(from, at).toLowerCase(Locale.ROOT);
      }
    }
    i = text.indexOf("\"s\":\"");
    if (i >= 0) {
      int from = i + 5;
      int end = text.indexOf('"', from);
      if (end > from) {
        return text.substring(from, end).toLowerCase(Locale.ROOT);
      }
    }
    return null;
  }

  private OutputStream output(String name, long day) throws IOException {
    Output o = outputs.get(name);
    if (o != null && o.day == day) {
      return o.out;
    }
    if (o != null) {
      o.out.close(); // the UTC day rolled: that file is complete
      log.info("recorder closed {}", o.path);
    }
    String date = LocalDate.ofEpochDay(day).format(DAY);
    Path path = settings.dir().resolve(name + "_" + date + ".gz");
    // appending to an existing file adds a gzip member: readers take the members one after another
    OutputStream out =
        new GZIPOutputStream(
            new BufferedOutputStream(
                Files.newOutputStream(
                    path,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND),
                1 << 16),
            1 << 16,
            true);
    outputs.put(name, new Output(day, path, out));
    return out;
  }

  private void flushAll() {
    for (Output o : outputs.values()) {
      try {
        o.out.flush();
      } catch (IOException e) {
        errors.increment();
        log.warn("recorder could not flush {}: {}", o.path, e.toString());
      }
    }
  }

  private String symbol(int id) {
    Instrument[] byId = instruments;
    return id >= 0 && id < byId.length && byId[id] != null
        ? byId[id].symbol()
        : Integer.toString(id);
  }

  private String price(int id, long ticks) {
    Instrument[] byId = instruments;
    return id >= 0 && id < byId.length && byId[id] != null
        ? byId[id].price().format(ticks)
        : Long.toString(ticks);
  }

  private String qty(int id, long steps) {
    Instrument[] byId = instruments;
    return id >= 0 && id < byId.length && byId[id] != null
        ? byId[id].quantity().format(steps)
        : Long.toString(steps);
  }

  private String request(OrderIntent intent) throws IOException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("dir", "out");
    int id = intent.symbolId();
    if (intent instanceof OrderIntent.Place p) {
      line.put("type", "place");
      line.put("symbol", symbol(id));
      line.put("id", p.clientOrderId());
      line.put("side", p.side().name());
      line.put("price", price(id, p.priceTicks()));
      line.put("qty", qty(id, p.qtySteps()));
      line.put("tif", p.timeInForce().name());
    } else if (intent instanceof OrderIntent.Cancel c) {
      line.put("type", "cancel");
      line.put("symbol", symbol(id));
      line.put("id", c.clientOrderId());
    } else if (intent instanceof OrderIntent.Amend a) {
      line.put("type", "amend");
      line.put("symbol", symbol(id));
      line.put("id", a.clientOrderId());
      line.put("price", price(id, a.newPriceTicks()));
      line.put("qty", qty(id, a.newQtySteps()));
    } else {
      line.put("type", "cancelAll");
      line.put("symbol", symbol(id));
    }
    return JSON.writeValueAsString(line);
  }

  private String answer(OrderEvent event) throws IOException {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("dir", "in");
    line.put("type", event.getClass().getSimpleName());
    String clientId = null;
    if (event instanceof OrderEvent.OrderAccepted a) {
      clientId = a.clientOrderId();
    } else if (event instanceof OrderEvent.OrderRejected r) {
      clientId = r.clientOrderId();
    } else if (event instanceof OrderEvent.OrderCanceled c) {
      clientId = c.clientOrderId();
    } else if (event instanceof OrderEvent.OrderAmended a) {
      clientId = a.clientOrderId();
    } else if (event instanceof OrderEvent.OrderUnknown u) {
      clientId = u.clientOrderId();
    } else if (event instanceof OrderEvent.OrderResolved r) {
      clientId = r.clientOrderId();
    }
    if (clientId != null) {
      line.put("id", clientId);
    }
    line.put("event", event);
    return JSON.writeValueAsString(line);
  }
}
