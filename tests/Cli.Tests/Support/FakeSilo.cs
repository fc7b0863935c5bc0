using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fleet.Cli.Tests.Support;

/// <summary>
/// A stand-in for the silo's HTTP API on a loopback port: answers each request with the next
/// scripted (status, body) and records what it was asked, so the client's retries and error
/// lines can be checked without a cluster.
/// </summary>
internal sealed class FakeSilo : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<(HttpStatusCode Status, string Body)> _answers = new();
    private readonly Task _serving;

    public FakeSilo()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Method, path and query, and body of every request, in order.</summary>
    public ConcurrentQueue<(string Method, string Path, string Body)> Requests { get; } = new();

    public FakeSilo Answer(HttpStatusCode status, string body)
    {
        _answers.Enqueue((status, body));
        return this;
    }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, await reader.ReadToEndAsync()));
            var (status, body) = _answers.TryDequeue(out var answer) ? answer : (HttpStatusCode.InternalServerError, """{"error":"no answer scripted"}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = (int)status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
