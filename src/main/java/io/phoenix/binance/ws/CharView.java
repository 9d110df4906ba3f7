package io.phoenix.binance.ws;

/**
 * A reusable {@link CharSequence} over a borrowed {@code char[]} (Jackson's text buffer), so that
 * {@link io.phoenix.core.Scale#parse(CharSequence, int, int)} reads values in place.
 */
final class CharView implements CharSequence {
  private char[] chars = new char[0];

  CharView wrap(char[] buffer) {
    chars = buffer;
    return this;
  }

  @Override
  public int length() {
    return chars.length;
  }

  @Override
  public char charAt(int index) {
    return chars[index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new String(chars, start, end - start);
  }

  @Override
  public String toString() {
    return new String(chars);
  }
}
