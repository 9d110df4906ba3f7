package io.phoenix.market;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal WebSocket server on a raw socket, for what an Akka HTTP server cannot do from user
 * code: send a ping frame with a chosen payload and observe the client's pong frame.
 */
final class RawWebSocketServer implements AutoCloseable {
  /** One frame the client sent: opcode and unmasked payload. */
  record Frame(int opcode, byte[] payload) {}

  private final ServerSocket server;
  private final CompletableFuture<Socket> accepted = new CompletableFuture<>();
  final LinkedBlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  volatile String requestLine;

  RawWebSocketServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread = new Thread(this::serve, "raw-ws-server");
    thread.setDaemon(true);
    thread.start();
  }

  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort();
  }

  private void serve() {
    try {
      Socket socket = server.accept();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      requestLine = head.substring(0, head.indexOf('\r'));
      String key = null;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).trim();
        }
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest(
                          (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
                              .getBytes(StandardCharsets.US_ASCII)));
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      accepted.complete(socket);
      while (true) {
        int b0 = in.read();
        if (b0 < 0) {
          return;
        }
        int b1 = in.read();
        long length = b1 & 0x7f;
        if (length == 126) {
          length = (in.read() << 8) | in.read();
        } else if (length == 127) {
          length = 0;
          for (int i = 0; i < 8; i++) {
            length = (length << 8) | in.read();
          }
        }
        byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
        byte[] payload = in.readNBytes((int) length);
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        received.add(new Frame(b0 & 0x0f, payload));
      }
    } catch (Exception e) {
      accepted.completeExceptionally(e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during handshake");
      }
      head.write(b);
      matched =
          (b == '\r' && (matched == 0 || matched == 2))
                  || (b == '\n' && (matched == 1 || matched == 3))
              ? matched + 1
              : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Sends an unmasked server frame once the client has connected. */
  void send(int opcode, byte[] payload) throws Exception {
    Socket socket = accepted.get(10, TimeUnit.SECONDS);
    OutputStream out = socket.getOutputStream();
    out.write(0x80 | opcode);
    if (payload.length < 126) {
      out.write(payload.length);
    } else {
      out.write(126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    }
    out.write(payload);
    out.flush();
  }

  void sendText(String text) throws Exception {
    send(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    server.close();
    if (accepted.isDone() && !accepted.isCompletedExceptionally()) {
      accepted.join().close();
    }
  }
}
