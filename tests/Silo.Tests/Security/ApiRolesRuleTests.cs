using Fleet.Silo.Security;

namespace Fleet.Silo.Tests.Security;

/// <summary>The one rule that gives each endpoint its role, on every route the API maps.</summary>
public sealed class ApiRolesRuleTests
{
    [Theory]
    [InlineData("GET", "/api/machines", "viewer")]
    [InlineData("GET", "/api/energy", "viewer")]
    [InlineData("GET", "/api/boxes/{box}/live", "viewer")]
    [InlineData("POST", "/api/experiments", "experimenter")]
    [InlineData("POST", "/api/experiments/{id}/cancel", "experimenter")]
    [InlineData("POST", "/api/boxes/{box}/frames", "experimenter")]
    [InlineData("POST", "/api/boxes/{box}/low-frequency", "experimenter")]
    [InlineData("PUT", "/api/machines/{name}/sockets", "admin")]
    [InlineData("GET", "/api/tokens", "admin")]
    [InlineData("POST", "/api/tokens/{name}/revoke", "admin")]
    [InlineData("GET", "/api/agents", "admin")]
    [InlineData("POST", "/api/agents/{host}/allow", "admin")]
    [InlineData("GET", "/api/audit", "admin")]
    [InlineData("GET", "/API/Tokens", "admin")]
    [InlineData("POST", "/api/submissions", "experimenter")]
    [InlineData("GET", "/api/queue", "viewer")]
    [InlineData("GET", "/api/runners", "viewer")]
    [InlineData("GET", "/api/experiments/{id}/logs", "viewer")]
    [InlineData("POST", "/api/machines/{machine}/identify", "experimenter")]
    public void For_MethodAndRoute_TheRoleItNeeds(string method, string route, string role)
    {
        Assert.Equal(role, ApiRoles.For([method], route));
    }
}
