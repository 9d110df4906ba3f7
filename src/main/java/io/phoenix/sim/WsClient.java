package io.phoenix.sim;

import akka.http.javadsl.model.ws.Message;
import akka.http.javadsl.model.ws.TextMessage;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WebSocket connection of the market/user stream service: its outbound bounded queue (offer
 * never blocks; a full queue drops the frame and counts it), its subscriptions and mode.
 */
final class WsClient {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WsClient.class);
  private final BoundedSourceQueue<Message> out;

  /** canonical (lower-case) stream name -> name as the client wrote it, for the combined wrapper */
  final Map<String, String> streams = new ConcurrentHashMap<>();

  final Map<String, Boolean> listenKeys = new ConcurrentHashMap<>();
  volatile boolean combined;
  final AtomicLong dropped = new AtomicLong();
  private long inboundWindowStart;
  private int inboundInWindow;

  WsClient(BoundedSourceQueue<Message> out, boolean combined) {
    this.out = out;
    this.combined = combined;
  }

  void send(String canonicalStream, String payload) {
    String text = payload;
    if (combined) {
      String name = streams.getOrDefault(canonicalStream, canonicalStream);
      StringBuilder sb = new StringBuilder(payload.length() + name.length() + 22);
      sb.append("{\"stream\":");
      Json.quoteTo(sb, name);
      text = sb.append(",\"data\":").append(payload).append('}').toString();
    }
    sendRaw(text);
  }

  void sendRaw(String text) {
    QueueOfferResult r = out.offer(TextMessage.create(text));
    if (r == QueueOfferResult.dropped() && dropped.incrementAndGet() == 1) {
      // once per connection: a client that cannot keep up loses frames instead of stalling the
      // engine
      LOG.warn("sim: WebSocket client too slow, dropping frames (buffer full)");
    }
  }

  /**
   * Counts one inbound control message; false once the client exceeds {@code perSecond} in the
   * current second (Binance disconnects such clients). Called from the connection's own stream
   * only.
   */
  boolean admitInbound(long now, int perSecond) {
    long second = now / 1000;
    if (second != inboundWindowStart) {
      inboundWindowStart = second;
      inboundInWindow = 0;
    }
    return ++inboundInWindow <= perSecond;
  }

  void close() {
    try {
      out.complete();
    } catch (IllegalStateException alreadyClosed) {
      // the connection ended on its own between the registry snapshot and this call
    }
  }
}
