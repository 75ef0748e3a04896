using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MorfX.ConfigApi.Data;

/// <summary>
/// A removed shop's webhook secrets (Data Protection ciphertext, as they were stored), kept so its compliance webhooks can
/// still be verified: shop/redact comes 48 h after the uninstall, which may follow the removal in MorfX by weeks. Never
/// used for any other topic; retention deletes it 60 days after the removal.
/// </summary>
public class ShopifySecretTombstone
{
    public required string ShopDomain { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string ClientSecretProtected { get; set; }
    public string? PreviousClientSecretProtected { get; set; }
    public required string DefaultCountry { get; set; }
    public DateTimeOffset DeletedAt { get; set; }

    public static ShopifySecretTombstone Of(ShopifyIntegration shop, DateTimeOffset deletedAt) => new()
    {
        ShopDomain = shop.ShopDomain, WorkspaceId = shop.WorkspaceId, ClientSecretProtected = shop.ClientSecretProtected,
        PreviousClientSecretProtected = shop.PreviousClientSecretProtected, DefaultCountry = shop.DefaultCountry, DeletedAt = deletedAt,
    };
}

public sealed class ShopifySecretTombstoneConfiguration : IEntityTypeConfiguration<ShopifySecretTombstone>
{
    public void Configure(EntityTypeBuilder<ShopifySecretTombstone> e)
    {
        e.HasKey(t => t.ShopDomain);
        // Retention deletes by age.
        e.HasIndex(t => t.DeletedAt);
    }
}
