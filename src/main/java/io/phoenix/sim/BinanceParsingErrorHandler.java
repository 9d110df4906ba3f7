package io.phoenix.sim;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpResponse;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.model.StatusCode;
import akka.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests Akka HTTP cannot even parse (bad percent-encoding, oversized headers) with a
 * Binance {@code {code,msg}} body instead of Akka's plain-text page. Installed through {@code
 * akka.http.server.parsing.error-handler}; the {@code MODULE$} field lets Akka load it the way it
 * loads its Scala default.
 */
public final class BinanceParsingErrorHandler extends ParsingErrorHandler {
  public static final BinanceParsingErrorHandler MODULE$ = new BinanceParsingErrorHandler();

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo error, LoggingAdapter log, ServerSettings settings) {
    log.warning("sim: unparseable request, answering {}: {}", status.intValue(), error.summary());
    return HttpResponse.create()
        .withStatus(status.intValue())
        .withEntity(
            ContentTypes.APPLICATION_JSON,
            "{\"code\":-1100,\"msg\":"
                + Json.quote("Illegal characters found in the request: " + error.summary())
                + "}");
  }
}
