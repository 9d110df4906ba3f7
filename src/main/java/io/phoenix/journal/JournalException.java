package io.phoenix.journal;

/** The journal database cannot be opened or migrated; the message names the JDBC URL. */
public final class JournalException extends RuntimeException {
  public JournalException(String message, Throwable cause) {
    super(message, cause);
  }
}
