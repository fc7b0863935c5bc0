using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Cli.Api;
using Fleet.Cli.Decoding;
using Fleet.Cli.Importing;
using Fleet.Cli.Plotting;
using Fleet.Cli.Reports;

namespace Fleet.Cli.Commands;

/// <summary>The CLI's own JSON (its config file and the reports only it prints), generated like the contract's.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ConfigFile))]
[JsonSerializable(typeof(StatusReport))]
[JsonSerializable(typeof(PlotSummary))]
[JsonSerializable(typeof(VendorCsvImportReport))]
[JsonSerializable(typeof(BoxTsvImportReport))]
[JsonSerializable(typeof(DecodeReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
