using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fleet.Silo.Tests.Support;

/// <summary>Reads the silo's JSON (snake_case) and checks its error answers.</summary>
public static class SiloApi
{
    /// <summary>A time as users type it in URLs and bodies.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return await ReadJsonAsync(response, expected);
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient http, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.PostAsJsonAsync(path, body);
        return await ReadJsonAsync(response, expected);
    }

    /// <summary>
    /// Asserts the answer is <paramref name="expected"/> with a JSON <c>error</c> sentence
    /// containing <paramref name="contains"/>: what the API promises for every refusal.
    /// </summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string contains = "")
    {
        var json = await ReadJsonAsync(response, expected);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = json.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.Contains(contains, error, StringComparison.Ordinal);
        return error!;
    }

    public static double Number(this JsonElement element, string property) => element.GetProperty(property).GetDouble();

    public static long Count(this JsonElement element, string property) => element.GetProperty(property).GetInt64();

    public static string? Text(this JsonElement element, string property) => element.GetProperty(property).GetString();
}
