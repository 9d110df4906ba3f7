package io.phoenix.sim;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket that answers nothing by itself (JDK and Akka clients answer
 * pings automatically): it records the server's pings, close frame and end of stream, and sends
 * pongs only when told to.
 */
final class RawWebSocket implements AutoCloseable {
  final LinkedBlockingQueue<String> pings = new LinkedBlockingQueue<>();

  /** Close code of the server's close frame. */
  final CompletableFuture<Integer> closeFrame = new CompletableFuture<>();

  /** System.nanoTime() when the close frame arrived. */
  volatile long closeFrameNanos;

  /** Completes with System.nanoTime() when the server ends the TCP stream. */
  final CompletableFuture<Long> ended = new CompletableFuture<>();

  final long openedNanos;
  private final Socket socket;
  private final OutputStream out;

  RawWebSocket(String host, int port, String path) throws IOException {
    socket = new Socket(host, port);
    out = socket.getOutputStream();
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    out.write(
        ("GET "
                + path
                + " HTTP/1.1\r\nHost: "
                + host
                + ":"
                + port
                + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce)
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    DataInputStream in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during the handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + head);
    }
    openedNanos = System.nanoTime();
    Thread reader = new Thread(() -> read(in), "raw-ws-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(DataInputStream in) {
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        int opcode = b0 & 0x0F;
        if (opcode == 0x9) {
          pings.add(new String(payload, StandardCharsets.UTF_8));
        } else if (opcode == 0x8) {
          closeFrameNanos = System.nanoTime();
          closeFrame.complete(
              payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
        }
      }
    } catch (IOException eof) {
      ended.complete(System.nanoTime());
    }
  }

  /** Sends a masked pong frame carrying {@code payload}. */
  synchronized void pong(String payload) throws IOException {
    byte[] data = payload.getBytes(StandardCharsets.UTF_8);
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    byte[] frame = new byte[2 + 4 + data.length];
    frame[0] = (byte) 0x8A;
    frame[1] = (byte) (0x80 | data.length);
    System.arraycopy(mask, 0, frame, 2, 4);
    for (int i = 0; i < data.length; i++) {
      frame[6 + i] = (byte) (data[i] ^ mask[i % 4]);
    }
    out.write(frame);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
