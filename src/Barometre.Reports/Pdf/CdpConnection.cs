using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Barometre.Reports.Pdf;

/// <summary>
/// One Chrome DevTools Protocol connection to the browser endpoint (ws://…/devtools/browser/…), in
/// flat session mode: commands for a page carry its <c>sessionId</c>. One background loop receives
/// every message and dispatches responses by <c>id</c> and events by <c>sessionId</c>; sends are
/// serialized (a WebSocket allows one send at a time). Thread-safe.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private readonly ClientWebSocket socket;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, PendingCommand> pending = new();
    private readonly ConcurrentDictionary<string, CdpSession> sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource lifetime = new();
    private readonly Task receiveLoop;
    private long lastId;
    private volatile Exception? closedReason;

    private CdpConnection(ClientWebSocket socket)
    {
        this.socket = socket;
        receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public static async Task<CdpConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // Loopback: no proxy (an http_proxy variable must not capture it), no keep-alive pings.
        socket.Options.Proxy = null;
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new CdpConnection(socket);
    }

    /// <summary>Why the connection is closed, or null while it is open.</summary>
    public Exception? ClosedReason => closedReason;

    /// <summary>Sends a command and returns its <c>result</c>; a CDP <c>error</c> becomes a <see cref="ChromiumPdfException"/>.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        if (closedReason is { } reason)
        {
            throw Closed(reason);
        }
        var id = Interlocked.Increment(ref lastId);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = new PendingCommand(method, response);
        try
        {
            var message = Serialize(id, method, parameters, sessionId);
            await sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Not the caller's token: cancelling a WebSocket send aborts the whole socket.
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, lifetime.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                throw Closed(closedReason ?? exception);
            }
            finally
            {
                sendLock.Release();
            }
            // The loop may have closed between the check above and the registration: it fails what it finds.
            if (closedReason is { } lateReason)
            {
                response.TrySetException(Closed(lateReason));
            }
            return await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            pending.TryRemove(id, out _);
        }
    }

    /// <summary>Starts routing the events of <paramref name="sessionId"/> to a new session object.</summary>
    public CdpSession OpenSession(string sessionId)
    {
        var session = new CdpSession(this, sessionId);
        sessions[sessionId] = session;
        if (closedReason is { } reason)
        {
            session.Fail(Closed(reason));
        }
        return session;
    }

    public void CloseSession(CdpSession session)
    {
        sessions.TryRemove(session.Id, out _);
        session.Fail(new ObjectDisposedException(nameof(CdpSession)));
        session.Dispose();
    }

    private sealed record PendingCommand(string Method, TaskCompletionSource<JsonElement> Response);

    private static ReadOnlyMemory<byte> Serialize(long id, string method, JsonObject? parameters, string? sessionId)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("method", method);
            if (sessionId is not null)
            {
                writer.WriteString("sessionId", sessionId);
            }
            writer.WritePropertyName("params");
            if (parameters is null)
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                parameters.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    private async Task ReceiveLoopAsync()
    {
        var message = new ArrayBufferWriter<byte>(64 * 1024);
        Exception reason;
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(message.GetMemory(64 * 1024), lifetime.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    reason = new ChromiumPdfException("Chromium a fermé la connexion DevTools.");
                    break;
                }
                message.Advance(received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }
                try
                {
                    Dispatch(message.WrittenMemory);
                }
                catch (Exception exception) when (exception is InvalidOperationException or KeyNotFoundException or FormatException)
                {
                    // A message of an unexpected shape: skip it, keep serving the others.
                }
                if (message.Capacity > 4 * 1024 * 1024)
                {
                    message = new ArrayBufferWriter<byte>(64 * 1024); // don't keep a PDF-sized buffer forever
                }
                else
                {
                    message.ResetWrittenCount();
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            reason = new ObjectDisposedException(nameof(CdpConnection));
        }
        catch (Exception exception)
        {
            reason = exception;
        }
        Close(reason);
    }

    private void Dispatch(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            return; // not CDP: ignore
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.TryGetProperty("id", out var idElement) && idElement.TryGetInt64(out var id))
            {
                if (!pending.TryGetValue(id, out var command))
                {
                    return; // cancelled meanwhile
                }
                var response = command.Response;
                if (root.TryGetProperty("error", out var error))
                {
                    var text = error.TryGetProperty("message", out var m) ? m.GetString() : error.GetRawText();
                    if (error.TryGetProperty("data", out var data))
                    {
                        text += $" ({(data.ValueKind == JsonValueKind.String ? data.GetString() : data.GetRawText())})";
                    }
                    response.TrySetException(new ChromiumPdfException($"Chromium a refusé {command.Method} : {text}"));
                }
                else
                {
                    response.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                }
                return;
            }
            if (!root.TryGetProperty("method", out var methodElement) || methodElement.GetString() is not { } method)
            {
                return;
            }
            var parameters = root.TryGetProperty("params", out var p) ? p.Clone() : default;
            if (root.TryGetProperty("sessionId", out var sessionElement))
            {
                if (sessionElement.GetString() is { } sessionId && sessions.TryGetValue(sessionId, out var session))
                {
                    session.OnEvent(method, parameters);
                }
                return;
            }
            // Browser-level events: a page session that goes away fails whoever waits on it.
            if (method == "Target.detachedFromTarget"
                && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("sessionId", out var detached)
                && detached.GetString() is { } detachedId
                && sessions.TryGetValue(detachedId, out var detachedSession))
            {
                detachedSession.Fail(new ChromiumPdfException("Chromium a détaché la page en cours d'impression."));
            }
        }
    }

    private void Close(Exception reason)
    {
        closedReason ??= reason;
        var exception = Closed(closedReason);
        foreach (var command in pending.Values)
        {
            command.Response.TrySetException(exception);
        }
        foreach (var session in sessions.Values)
        {
            session.Fail(exception);
        }
    }

    private static ChromiumPdfException Closed(Exception reason) =>
        reason as ChromiumPdfException
        ?? new ChromiumPdfException($"La connexion DevTools avec Chromium est perdue : {reason.Message}", reason);

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The browser is going away anyway.
            }
        }
        await lifetime.CancelAsync().ConfigureAwait(false);
        socket.Abort();
        try
        {
            await receiveLoop.ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // Already recorded by the loop.
        }
        Close(new ObjectDisposedException(nameof(CdpConnection)));
        socket.Dispose();
        lifetime.Dispose();
        sendLock.Dispose();
    }
}

/// <summary>One attached page target: its commands, and the events it received so far (so a wait registered after the event still sees it).</summary>
internal sealed class CdpSession : IDisposable
{
    private readonly CdpConnection connection;
    private readonly CancellationTokenSource failed = new();
    private readonly Lock gate = new();
    private readonly List<(string Method, JsonElement Parameters)> history = [];
    private readonly List<Waiter> waiters = [];
    private Exception? failure;

    public CdpSession(CdpConnection connection, string id)
    {
        this.connection = connection;
        Id = id;
    }

    public string Id { get; }

    /// <summary>Sends a command to this page; fails as soon as the page does (crash, detach) instead of waiting for a response that won't come.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, failed.Token);
        try
        {
            return await connection.SendAsync(method, parameters, Id, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && failure is { } reason)
        {
            throw reason;
        }
    }

    /// <summary>The parameters of the first event <paramref name="method"/> (past or future) that matches <paramref name="predicate"/>.</summary>
    public async Task<JsonElement> WaitForEventAsync(string method, Func<JsonElement, bool> predicate, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (gate)
        {
            if (failure is not null)
            {
                throw failure;
            }
            foreach (var (pastMethod, parameters) in history)
            {
                if (pastMethod == method && predicate(parameters))
                {
                    return parameters;
                }
            }
            waiter = new Waiter(method, predicate);
            waiters.Add(waiter);
        }
        try
        {
            return await waiter.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (gate)
            {
                waiters.Remove(waiter);
            }
        }
    }

    /// <summary>Forgets the events received so far (before reusing the page for another document).</summary>
    public void ClearEvents()
    {
        lock (gate)
        {
            history.Clear();
        }
    }

    internal void OnEvent(string method, JsonElement parameters)
    {
        if (method == "Inspector.targetCrashed")
        {
            Fail(new ChromiumPdfException("Le processus de rendu de Chromium s'est arrêté brutalement (crash) pendant l'impression."));
            return;
        }
        lock (gate)
        {
            history.Add((method, parameters));
            foreach (var waiter in waiters)
            {
                if (waiter.Method != method)
                {
                    continue;
                }
                // Runs on the receive loop: a predicate that throws (unexpected event shape) fails its
                // own wait, never the loop that serves every other print.
                try
                {
                    if (waiter.Predicate(parameters))
                    {
                        waiter.Completion.TrySetResult(parameters);
                    }
                }
                catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    waiter.Completion.TrySetException(new ChromiumPdfException($"Événement {method} inattendu : {exception.Message}", exception));
                }
            }
        }
    }

    internal void Fail(Exception exception)
    {
        lock (gate)
        {
            if (failure is not null)
            {
                return;
            }
            failure = exception;
            foreach (var waiter in waiters)
            {
                waiter.Completion.TrySetException(failure);
            }
        }
        try
        {
            failed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile: nobody is waiting any more.
        }
    }

    public void Dispose() => failed.Dispose();

    private sealed record Waiter(string Method, Func<JsonElement, bool> Predicate)
    {
        public TaskCompletionSource<JsonElement> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
