using System.Diagnostics;
using System.Text.Json;

namespace Barometre.Testing.Mail;

/// <summary>
/// A test server written for node, a script of this folder: it prints <c>{"port": N}</c> once listening on loopback,
/// answers one line per line read on its standard input, and stops when that input closes.
/// </summary>
internal sealed class NodeScript : IAsyncDisposable
{
    private readonly Process _process;

    private NodeScript(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Starts <paramref name="script"/> (a file of Mail/) with node and the packages of <paramref name="tools"/>.</summary>
    public static async Task<NodeScript> StartAsync(string script, (string Node, string NodeModules) tools, params string[] arguments)
    {
        var start = new ProcessStartInfo(tools.Node)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Mail", script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["NODE_PATH"] = tools.NodeModules;
        var process = Process.Start(start)!;
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException($"{script} stopped: " + await process.StandardError.ReadToEndAsync());
        return new NodeScript(process, JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32());
    }

    /// <summary>Sends one line and returns the script's one-line answer.</summary>
    public async Task<string> AskAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
        return await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))
            ?? throw new InvalidOperationException("the script stopped: " + await _process.StandardError.ReadToEndAsync());
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
