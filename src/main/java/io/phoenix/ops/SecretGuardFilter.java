package io.phoenix.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.phoenix.config.SecretRegistry;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Second guard against leaking credentials: a log call whose message, arguments or exception
 * messages contain a value registered in {@link SecretRegistry} is dropped and re-logged with every
 * such value replaced by {@code ***} (the exception's class and stack are kept). The first guard is
 * {@link io.phoenix.config.Secret}, whose {@code toString()} is already masked; this one catches
 * code that logs {@code secret.reveal()} or a signed URL. Works for every encoder because it acts
 * before the event exists. Costs a {@code toString()} per argument of enabled log calls once any
 * secret is registered: logging is not on the hot path.
 */
public final class SecretGuardFilter extends TurboFilter {
  private static final String FQCN = Logger.class.getName();
  private static final ThreadLocal<Boolean> RELOGGING =
      ThreadLocal.withInitial(() -> Boolean.FALSE);

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (format == null
        || SecretRegistry.values().isEmpty()
        || RELOGGING.get()
        || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    Throwable thrown = t;
    Object[] args = params;
    if (thrown == null
        && args != null
        && args.length > 0
        && args[args.length - 1] instanceof Throwable last) {
      thrown = last;
      args = java.util.Arrays.copyOf(args, args.length - 1);
    }
    if (!leaks(format, args, thrown)) {
      return FilterReply.NEUTRAL;
    }
    String message = SecretRegistry.mask(MessageFormatter.basicArrayFormat(format, args));
    RELOGGING.set(Boolean.TRUE);
    try {
      logger.log(
          marker, FQCN, Level.toLocationAwareLoggerInteger(level), message, null, redact(thrown));
    } finally {
      RELOGGING.set(Boolean.FALSE);
    }
    return FilterReply.DENY;
  }

  private static boolean leaks(String format, Object[] args, Throwable thrown) {
    if (SecretRegistry.containsSecret(format)) {
      return true;
    }
    if (args != null) {
      for (Object a : args) {
        if (a != null && SecretRegistry.containsSecret(safeToString(a))) {
          return true;
        }
      }
    }
    for (Throwable c = thrown; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (SecretRegistry.containsSecret(c.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static String safeToString(Object o) {
    try {
      return String.valueOf(o);
    } catch (RuntimeException e) {
      return "";
    }
  }

  /** A copy of the exception chain with secrets masked in the messages; same stack traces. */
  static Throwable redact(Throwable t) {
    if (t == null) {
      return null;
    }
    Throwable cause = t.getCause() == t ? null : redact(t.getCause());
    if (!SecretRegistry.containsSecret(t.getMessage()) && cause == t.getCause()) {
      return t;
    }
    RedactedException copy =
        new RedactedException(
            t.getClass().getName() + ": " + SecretRegistry.mask(t.getMessage()), cause);
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  /** Stands in for an exception whose message contained a secret. */
  static final class RedactedException extends RuntimeException {
    RedactedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
