using System.Text.Json;

namespace MorfX.ConfigApi.Apis;

public record CustomerDataRequestDetail(CustomerDataRequestSummary Request, IReadOnlyDictionary<string, JsonElement> Data);
