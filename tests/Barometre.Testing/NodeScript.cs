using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Barometre.Testing;

/// <summary>
/// A node script serving one test on loopback (the mail server, the OpenID Connect provider): it prints one JSON
/// object on a line of its own once ready — what the test needs to reach it —, may answer requests one line each
/// (<see cref="AskAsync"/>), and stops when its stdin closes.
/// </summary>
public sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly System.Threading.Channels.Channel<string> _lines = System.Threading.Channels.Channel.CreateUnbounded<string>();

    private NodeScript(Process process, JsonElement ready)
    {
        _process = process;
        Ready = ready;
    }

    /// <summary>The JSON object the script printed once ready (« {"port": 2525} »).</summary>
    public JsonElement Ready { get; }

    /// <summary>What the script wrote on stderr so far (its warnings and failures).</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Runs <paramref name="script"/> (beside the test's assembly) with node and its arguments, until it says it is ready.</summary>
    public static async Task<NodeScript> StartAsync(string node, string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(node)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        JsonElement? ready = null;
        while (ready is null)
        {
            var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
                ?? throw new InvalidOperationException($"{script} stopped: {await errors}");
            // Libraries may print notices on stdout too (oidc-provider does): only the JSON object counts.
            if (line.StartsWith('{'))
            {
                ready = JsonDocument.Parse(line).RootElement.Clone();
            }
        }
        var running = new NodeScript(process, ready.Value);
        _ = errors.ContinueWith(text => running.Append(text.Result), TaskScheduler.Default);
        _ = running.ReadLinesAsync();
        return running;
    }

    /// <summary>Sends one request line and returns the script's answer (its next line that is not a library's notice).</summary>
    public async Task<string> AskAsync(string request)
    {
        await _process.StandardInput.WriteLineAsync(request);
        await _process.StandardInput.FlushAsync();
        return await _lines.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Keeps reading stdout (a full pipe would block the script), keeping the lines that answer requests.</summary>
    private async Task ReadLinesAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{') || line.StartsWith('[') || line == "ok")
            {
                _lines.Writer.TryWrite(line);
            }
        }
        _lines.Writer.TryComplete();
    }

    private void Append(string text)
    {
        lock (_errors)
        {
            _errors.Append(text);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
