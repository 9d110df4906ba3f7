package io.phoenix.binance.ws;

import io.phoenix.core.Instrument;
import java.util.List;

/**
 * Maps symbol text to the {@link Instrument} it names without allocating: the decoder looks up the
 * characters Jackson holds in its buffer, upper- or lower-case (stream names are lower case), in a
 * small open-addressing table built once.
 */
public final class InstrumentRegistry {
  private final Instrument[] byId;
  private final Instrument[] slots;
  private final char[][] keys;
  private final int mask;

  private InstrumentRegistry(List<Instrument> instruments) {
    int maxId = -1;
    for (Instrument instrument : instruments) {
      if (instrument.id() < 0) {
        throw new IllegalArgumentException("instrument id must be >= 0: " + instrument.symbol());
      }
      maxId = Math.max(maxId, instrument.id());
    }
    byId = new Instrument[maxId + 1];
    int capacity = Integer.highestOneBit(Math.max(4, instruments.size() * 4) - 1) << 1;
    slots = new Instrument[capacity];
    keys = new char[capacity][];
    mask = capacity - 1;
    for (Instrument instrument : instruments) {
      if (byId[instrument.id()] != null) {
        throw new IllegalArgumentException("duplicate instrument id " + instrument.id());
      }
      byId[instrument.id()] = instrument;
      char[] key = instrument.symbol().toUpperCase(java.util.Locale.ROOT).toCharArray();
      int slot = hash(key, 0, key.length) & mask;
      while (slots[slot] != null) {
        if (equalsIgnoreAsciiCase(keys[slot], key, 0, key.length)) {
          throw new IllegalArgumentException("duplicate symbol " + instrument.symbol());
        }
        slot = (slot + 1) & mask;
      }
      slots[slot] = instrument;
      keys[slot] = key;
    }
  }

  /** A registry of the given instruments; ids must be distinct, small and non-negative. */
  public static InstrumentRegistry of(List<Instrument> instruments) {
    return new InstrumentRegistry(instruments);
  }

  /** The instrument with this interned id, or null. */
  public Instrument byId(int id) {
    return id >= 0 && id < byId.length ? byId[id] : null;
  }

  /** Highest id plus one: the size of per-symbol arrays. */
  public int idLimit() {
    return byId.length;
  }

  /** The instrument named by {@code chars[from, from+length)} in any ASCII case, or null. */
  public Instrument find(char[] chars, int from, int length) {
    int slot = hash(chars, from, length) & mask;
    while (slots[slot] != null) {
      if (equalsIgnoreAsciiCase(keys[slot], chars, from, length)) {
        return slots[slot];
      }
      slot = (slot + 1) & mask;
    }
    return null;
  }

  /** The instrument named {@code symbol} in any ASCII case, or null (allocates; not for frames). */
  public Instrument find(String symbol) {
    char[] chars = symbol.toCharArray();
    return find(chars, 0, chars.length);
  }

  private static int hash(char[] chars, int from, int length) {
    int h = 0;
    for (int i = from; i < from + length; i++) {
      h = 31 * h + upper(chars[i]);
    }
    return h ^ (h >>> 16);
  }

  private static char upper(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
  }

  private static boolean equalsIgnoreAsciiCase(char[] key, char[] chars, int from, int length) {
    if (key.length != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key[i] != upper(chars[from + i])) {
        return false;
      }
    }
    return true;
  }
}
