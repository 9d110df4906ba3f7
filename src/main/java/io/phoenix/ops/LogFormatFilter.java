package io.phoenix.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Lets an appender through only when its format is the selected one ({@code LOG_FORMAT}), so
 * logback.xml can declare a text and a JSON appender side by side without janino's {@code <if>}.
 * Any value other than {@code json} selects text, so a typo never silences logging.
 */
public final class LogFormatFilter extends Filter<ILoggingEvent> {
  private String format = "text";
  private String selected = "text";
  private boolean active;

  /** The format of the appender this filter guards: {@code text} or {@code json}. */
  public void setFormat(String format) {
    this.format = format;
  }

  /** The operator's choice, usually {@code ${LOG_FORMAT:-text}}. */
  public void setSelected(String selected) {
    this.selected = selected;
  }

  @Override
  public void start() {
    String chosen =
        "json".equalsIgnoreCase(selected == null ? "" : selected.trim()) ? "json" : "text";
    active = chosen.equalsIgnoreCase(format);
    super.start();
  }

  public boolean active() {
    return active;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    return active ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
