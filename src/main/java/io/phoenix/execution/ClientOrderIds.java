package io.phoenix.execution;

import java.util.regex.Pattern;

/**
 * Client order ids of the form {@code <prefix>-<symbolId>-<sequence>} (numbers in base 36), at most
 * 36 characters and within Binance's alphabet {@code ^[\.A-Z\:/a-z0-9_-]{1,36}$}. The prefix names
 * the system: an open order carrying it is ours, one without it is not (manual, another bot, or the
 * exchange's own {@code autoclose-}). The sequence starts from the start-up time in microseconds,
 * so ids stay unique across restarts without persisted state.
 *
 * <p>Not thread-safe: one instance per generating actor (the sequence is unique per instance).
 */
public final class ClientOrderIds {
  /** Binance's rule for {@code newClientOrderId}. */
  public static final Pattern BINANCE_PATTERN = Pattern.compile("^[\\.A-Z\\:/a-z0-9_-]{1,36}$");

  private static final Pattern PREFIX_PATTERN = Pattern.compile("^[\\.A-Z\\:/a-z0-9_]{1,12}$");
  public static final int MAX_LENGTH = 36;

  /** A decoded id. */
  public record Decoded(String prefix, int symbolId, long sequence) {}

  private final String prefix;
  private final String prefixDash;
  private long sequence;

  /**
   * @param prefix 1-12 characters of Binance's alphabet without {@code -} (the separator)
   * @param firstSequence first sequence number, e.g. {@link #startSequence(long)}
   */
  public ClientOrderIds(String prefix, long firstSequence) {
    if (prefix == null || !PREFIX_PATTERN.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "client order id prefix must be 1-12 of [.A-Z:/a-z0-9_], was " + prefix);
    }
    if (firstSequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0");
    }
    this.prefix = prefix;
    this.prefixDash = prefix + "-";
    this.sequence = firstSequence;
  }

  /** A generator whose sequence starts at {@code nowMillis * 1000}. */
  public static ClientOrderIds startingNow(String prefix, long nowMillis) {
    return new ClientOrderIds(prefix, startSequence(nowMillis));
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
    String id = prefixDash + Integer.toString(symbolId, 36) + '-' + Long.toString(sequence++, 36);
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

  /** Decodes any id of this format regardless of prefix; null when malformed. */
  public static Decoded decodeAny(String clientOrderId) {
    if (clientOrderId == null || clientOrderId.length() > MAX_LENGTH) {
      return null;
    }
    int second = clientOrderId.lastIndexOf('-');
    int first = second <= 0 ? -1 : clientOrderId.lastIndexOf('-', second - 1);
    if (first <= 0 || second == first + 1 || second == clientOrderId.length() - 1) {
      return null;
    }
    try {
      int symbolId = Integer.parseInt(clientOrderId, first + 1, second, 36);
      long seq = Long.parseLong(clientOrderId, second + 1, clientOrderId.length(), 36);
      if (symbolId < 0 || seq < 0) {
        return null;
      }
      return new Decoded(clientOrderId.substring(0, first), symbolId, seq);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
