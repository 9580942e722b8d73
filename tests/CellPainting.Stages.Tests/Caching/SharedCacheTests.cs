using CellPainting.Engine.Caching;
using CellPainting.Stages.Caching;
using CellPainting.Stages.Configuration;

namespace CellPainting.Stages.Tests.Caching;

public sealed class SharedCacheTests
{
    private static readonly FetchSettings Fetch = ConfigLoader.Parse("cpjump: { batch: \"b\" }", "test.yml", "/repo").Fetch;

    [Test]
    public void A_cache_that_is_off_has_no_client()
    {
        Assert.That(SharedCache.Open(CacheSettings.Off, Fetch, 2), Is.Null);
    }

    [Test]
    public void A_folder_cache_opens_on_that_folder_in_the_configured_mode()
    {
        using ItemCache? cache = SharedCache.Open(new CacheSettings("/shared/cache", CacheMode.Read, false), Fetch, 2);

        Assert.Multiple(() =>
        {
            Assert.That(cache!.Location, Is.EqualTo("/shared/cache"));
            Assert.That(cache.Mode, Is.EqualTo(CacheMode.Read));
        });
    }

    [Test]
    public void A_bucket_cache_opens_on_the_bucket_and_prefix()
    {
        using ItemCache? cache = SharedCache.Open(new CacheSettings("s3://lab-cache/cpjump1", CacheMode.ReadWrite, false), Fetch, 2);

        Assert.Multiple(() =>
        {
            Assert.That(cache!.Location, Is.EqualTo("s3://lab-cache/cpjump1/"));
            Assert.That(cache.Mode, Is.EqualTo(CacheMode.ReadWrite));
        });
    }
}
