package io.phoenix.execution;

import java.util.regex.Pattern;

/**
 * Client order ids of the form {@code <prefix>-<epoch>-<symbolId>-<sequence>} (numbers in base 36),
 * at most 36 characters and within Binance's alphabet {@code ^[\.A-Z\:/a-z0-9_-]{1,36}$}. The
 * prefix names the system: an open order carrying it is ours, one without it is not (manual,
 * another bot, or the exchange's own {@code autoclose-}). The epoch names the incarnation of the
 * trading unit that sent it (a fencing token: a newer incarnation cancels older epochs' orders, an
 * older one that sees a newer epoch stops). The sequence starts from the start-up time in
 * microseconds, so ids stay unique across restarts without persisted state. Ids of the form before
 * epochs ({@code <prefix>-<symbolId>-<sequence>}) decode with epoch 0.
 *
 * <p>Not thread-safe: one instance per generating actor (the sequence is unique per instance).
 */
public final class ClientOrderIds {
  /** Binance's rule for {@code newClientOrderId}. */
  public static final Pattern BINANCE_PATTERN = Pattern.compile("^[\\.A-Z\\:/a-z0-9_-]{1,36}$");

  private static final Pattern PREFIX_PATTERN = Pattern.compile("^[\\.A-Z\\:/a-z0-9_]{1,12}$");
  public static final int MAX_LENGTH = 36;

  /** Epochs take at most four base-36 digits, so the longest id stays within 36 characters. */
  public static final long MAX_EPOCH = 36L * 36 * 36 * 36 - 1;

  /** A decoded id. */
  public record Decoded(String prefix, long epoch, int symbolId, long sequence) {}

  private final String prefix;
  private final String prefixDash;
  private final String head;
  private long sequence;

  /**
   * Ids of epoch 0 (tests, the backtester).
   *
   * @param prefix 1-12 characters of Binance's alphabet without {@code -} (the separator)
   * @param firstSequence first sequence number, e.g. {@link #startSequence(long)}
   */
  public ClientOrderIds(String prefix, long firstSequence) {
    this(prefix, 0, firstSequence);
  }

  /**
   * @param epoch the trading unit's incarnation, 0 to {@link #MAX_EPOCH}
   */
  public ClientOrderIds(String prefix, long epoch, long firstSequence) {
    if (prefix == null || !PREFIX_PATTERN.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "client order id prefix must be 1-12 of [.A-Z:/a-z0-9_], was " + prefix);
    }
    if (firstSequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0");
    }
    if (epoch < 0 || epoch > MAX_EPOCH) {
      throw new IllegalArgumentException("epoch must be 0.." + MAX_EPOCH + ", was " + epoch);
    }
    this.prefix = prefix;
    this.prefixDash = prefix + "-";
    this.head = prefixDash + Long.toString(epoch, 36) + '-';
    this.sequence = firstSequence;
  }

  /** A generator of epoch 0 whose sequence starts at {@code nowMillis * 1000}. */
  public static ClientOrderIds startingNow(String prefix, long nowMillis) {
    return new ClientOrderIds(prefix, 0, startSequence(nowMillis));
  }

  /** A generator of {@code epoch} whose sequence starts at {@code nowMillis * 1000}. */
  public static ClientOrderIds startingNow(String prefix, long epoch, long nowMillis) {
    return new ClientOrderIds(prefix, epoch, startSequence(nowMillis));
  }

  /**
   * Start-up time in microseconds: later starts begin above any sequence an earlier run could
   * reach.
   */
  public static long startSequence(long nowMillis) {
    return Math.multiplyExact(nowMillis, 1000L);
  }

  public String prefix() {
    return prefix;
  }

  /** The next id for {@code symbolId}. */
  public String next(int symbolId) {
    if (symbolId < 0) {
      throw new IllegalArgumentException("symbolId must be >= 0");
    }
    String id = head + Integer.toString(symbolId, 36) + '-' + Long.toString(sequence++, 36);
    if (id.length() > MAX_LENGTH) {
      throw new IllegalStateException("client order id longer than 36: " + id);
    }
    return id;
  }

  /** True when the id carries this system's prefix. */
  public boolean isOurs(String clientOrderId) {
    return clientOrderId != null && clientOrderId.startsWith(prefixDash);
  }

  /** Decodes an id of ours; null when it is not ours or malformed. */
  public Decoded decode(String clientOrderId) {
    if (!isOurs(clientOrderId)) {
      return null;
    }
    return decodeAny(clientOrderId);
  }

  /**
   * The epoch an id of this format carries (0 for the form without one); -1 when it is not of this
   * format.
   */
  public static long epochOf(String clientOrderId) {
    Decoded d = decodeAny(clientOrderId);
    return d == null ? -1 : d.epoch();
  }

  /** Decodes any id of this format regardless of prefix; null when malformed. */
  public static Decoded decodeAny(String clientOrderId) {
    if (clientOrderId == null || clientOrderId.length() > MAX_LENGTH) {
      return null;
    }
    int third = clientOrderId.lastIndexOf('-');
    int second = third <= 0 ? -1 : clientOrderId.lastIndexOf('-', third - 1);
    if (second <= 0 || third == second + 1 || third == clientOrderId.length() - 1) {
      return null;
    }
    int first = clientOrderId.lastIndexOf('-', second - 1);
    if (first == second - 1 || first == 0 || clientOrderId.indexOf('-') < first) {
      return null;
    }
    try {
      int symbolId = Integer.parseInt(clientOrderId, second + 1, third, 36);
      long seq = Long.parseLong(clientOrderId, third + 1, clientOrderId.length(), 36);
      long epoch = first < 0 ? 0 : Long.parseLong(clientOrderId, first + 1, second, 36);
      if (symbolId < 0 || seq < 0 || epoch < 0) {
        return null;
      }
      String prefix = clientOrderId.substring(0, first < 0 ? second : first);
      return new Decoded(prefix, epoch, symbolId, seq);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
