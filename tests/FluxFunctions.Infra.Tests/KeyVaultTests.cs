namespace FluxFunctions.Infra.Tests;

/// <summary>Key Vault with RBAC holds the Runware key; the app reads it through a Key Vault reference.</summary>
[Collection(BicepCollection.Name)]
public sealed class KeyVaultTests(CompiledTemplate template)
{
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    [Fact]
    public void KeyVault_AuthorizesWithRbac()
    {
        var vault = template.Main().Module("keyvault");
        var properties = Deployed.Properties(vault, vault.Single("Microsoft.KeyVault/vaults"));

        Assert.Equal(true, properties["enableRbacAuthorization"]);
        Assert.Equal(true, properties["enableSoftDelete"]);
        Assert.DoesNotContain("accessPolicies", properties.Keys);
    }

    [Fact]
    public void AppIdentity_IsKeyVaultSecretsUser()
    {
        var main = template.Main();

        Assert.Equal([KeyVaultSecretsUser], Deployed.RolesOf(main.Module("keyvault"), Deployed.AppPrincipalId(main)));
    }

    [Fact]
    public void Operator_IsSecretsOfficer_OnlyWhenGiven()
    {
        var withoutOperator = template.Main().Module("keyvault");
        var withOperator = template.Main(("operatorPrincipalId", "00000000-0000-0000-0000-000000000001")).Module("keyvault");

        var officer = Assert.Single(withOperator.ResourcesOfType("Microsoft.Authorization/roleAssignments"), r => r.GetRawText().Contains(KeyVaultSecretsOfficer, StringComparison.Ordinal));
        Assert.Equal(true, withOperator.Evaluate(officer.GetProperty("condition")));
        Assert.Equal(false, withoutOperator.Evaluate(officer.GetProperty("condition")));
        Assert.Contains(KeyVaultSecretsOfficer, Deployed.RolesOf(withOperator, "00000000-0000-0000-0000-000000000001"));
    }

    [Fact]
    public void RunwareApiKey_IsAKeyVaultReferenceToTheLatestSecretVersion()
    {
        var value = Deployed.Setting(template.Main(), "Runware__ApiKey");

        Assert.StartsWith("@Microsoft.KeyVault(SecretUri=<reference('/subscriptions/<subscriptionId>/resourceGroups/<resourceGroup>/providers/Microsoft.KeyVault/vaults/kv-flux-tok123'", value, StringComparison.Ordinal);
        Assert.EndsWith(".vaultUri>secrets/runware-api-key)", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_AreWrittenOnlyFromSecureParametersThatAreGiven()
    {
        var parameters = template.Json.GetProperty("parameters");
        var defaults = template.Main().Module("keyvault");
        var given = template.Main(("runwareApiKey", "rw-test-key"), ("webhookSecret", "hook-test-secret")).Module("keyvault");
        var secrets = defaults.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").ToList();

        Assert.Equal("securestring", parameters.GetProperty("runwareApiKey").GetProperty("type").GetString());
        Assert.Equal("securestring", parameters.GetProperty("webhookSecret").GetProperty("type").GetString());
        Assert.Equal(2, secrets.Count);
        Assert.All(secrets, s => Assert.Equal(false, defaults.Evaluate(s.GetProperty("condition"))));
        Assert.All(secrets, s => Assert.Equal(true, given.Evaluate(s.GetProperty("condition"))));
        Assert.DoesNotContain("rw-test-key", template.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void WebhookSecret_IsReferencedOnlyWhenGiven()
    {
        Assert.DoesNotContain("Flux__WebhookSecret", Deployed.AppSettings(template.Main()).Keys);

        var value = Deployed.Setting(template.Main(("webhookSecret", "hook-test-secret")), "Flux__WebhookSecret");

        Assert.StartsWith("@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
        Assert.EndsWith("secrets/flux-webhook-secret)", value, StringComparison.Ordinal);
    }
}
