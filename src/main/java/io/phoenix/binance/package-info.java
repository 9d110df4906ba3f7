/**
 * Binance USD-M futures wire protocol and nothing else: REST signing, client and every REST
 * endpoint Phoenix calls ({@code rest}), WebSocket frame codecs for market and user data ({@code
 * ws}). Raw wire shapes stay here; the rest of Phoenix sees normalized types of {@code
 * io.phoenix.model} in ticks and steps. Depends on {@code core}, {@code model} and {@code config}
 * only.
 */
package io.phoenix.binance;
