package io.phoenix.binance.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import io.phoenix.core.Instrument;
import java.io.IOException;

/**
 * The REST depth snapshot ({@code GET /fapi/v1/depth}) decoded in ticks and steps. A snapshot
 * arrives once per (re)synchronisation, so each decode allocates its own small parser; the level
 * arrays are this object's and may be reused for the next snapshot.
 */
public final class DepthSnapshotReader extends TokenReader {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Instrument instrument;
  private long lastUpdateId;
  private long eventTime;
  private long transactionTime;
  private final LevelArray bids = new LevelArray(1024);
  private final LevelArray asks = new LevelArray(1024);

  public Instrument instrument() {
    return instrument;
  }

  /** {@code lastUpdateId}: the {@code L} of the synchronisation procedure. */
  public long lastUpdateId() {
    return lastUpdateId;
  }

  public long eventTime() {
    return eventTime;
  }

  public long transactionTime() {
    return transactionTime;
  }

  /** Best bid first, as Binance sends them. */
  public LevelArray bids() {
    return bids;
  }

  /** Best ask first, as Binance sends them. */
  public LevelArray asks() {
    return asks;
  }

  /**
   * Fills this snapshot from a response body for {@code instrument}.
   *
   * @return null on success, else why the body was rejected (this object is then unusable)
   */
  public DecodeError decode(byte[] body, Instrument instrument) {
    this.instrument = instrument;
    lastUpdateId = -1;
    eventTime = 0;
    transactionTime = 0;
    bids.clear();
    asks.clear();
    boolean haveBids = false;
    boolean haveAsks = false;
    try (var p = FACTORY.createParser(body)) {
      parser = p;
      expect(next(), JsonToken.START_OBJECT);
      JsonToken t;
      while ((t = next()) != JsonToken.END_OBJECT) {
        expect(t, JsonToken.FIELD_NAME);
        String name = parser.currentName();
        JsonToken value = next();
        switch (name) {
          case "lastUpdateId" -> lastUpdateId = longValue(value);
          case "E" -> eventTime = longValue(value);
          case "T" -> transactionTime = longValue(value);
          case "bids" -> {
            levels(value, instrument.price(), instrument.quantity(), bids);
            haveBids = true;
          }
          case "asks" -> {
            levels(value, instrument.price(), instrument.quantity(), asks);
            haveAsks = true;
          }
          default -> skip(value);
        }
      }
      if (lastUpdateId < 0 || !haveBids || !haveAsks) {
        return DecodeError.MISSING_FIELD;
      }
      return null;
    } catch (Failure failure) {
      return failure.error;
    } catch (InputCoercionException e) {
      return DecodeError.NUMBER_OUT_OF_RANGE;
    } catch (IOException | RuntimeException e) {
      return DecodeError.MALFORMED_JSON;
    } finally {
      parser = null;
    }
  }
}
