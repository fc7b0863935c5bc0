using System.Text.Json;
using Fleet.Api.Contracts.Agents;
using Fleet.Api.Contracts.Audit;
using Fleet.Api.Contracts.Tokens;
using Fleet.Storage.Audit;
using Fleet.Storage.Enrolment;
using Fleet.Storage.Tokens;

namespace Fleet.Silo.Api.Mapping;

internal static class TrustMapping
{
    public static TokenResponse ToResponse(this StoredToken token) => new(token.Name, token.Role, token.CreatedAt, token.CreatedBy, token.RevokedAt);

    public static EnrolmentResponse ToResponse(this AgentEnrolment enrolment) => new(enrolment.Host, enrolment.BoxId, enrolment.EnrolledAt, enrolment.EnrolledBy);

    public static EnrolmentResponse ToRunnerResponse(this (string Host, string Machine, DateTimeOffset EnrolledAt, string EnrolledBy) enrolment) =>
        new(enrolment.Host, null, enrolment.EnrolledAt, enrolment.EnrolledBy, enrolment.Machine);

    public static AuditEntryResponse ToResponse(this AuditEntry entry) =>
        new(entry.Id, entry.At, entry.Actor, entry.Role, entry.Method, entry.Path, entry.Status, Json(entry.BeforeJson), Json(entry.AfterJson));

    private static JsonElement? Json(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
