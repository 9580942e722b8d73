using CellPainting.Stages.Download;

namespace CellPainting.Stages.Tests.Download;

public sealed class S3SynchronizerOptionsTests
{
    [Test]
    public void AnEndpointWithUserInfoIsRefusedWithoutEchoingTheSecret()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new S3Synchronizer(new S3SyncOptions { EndpointUrl = new Uri("http://user:hunter2@127.0.0.1:9000/") }));

        Assert.That(error.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void AnUnknownProfileIsReportedByName()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _ = new S3Synchronizer(new S3SyncOptions { Profile = "cellpainting-tests-no-such-profile" }));

        Assert.That(error.Message, Does.Contain("cellpainting-tests-no-such-profile"));
    }

    [Test]
    public void DuplicateUnitNamesAreRejectedBeforeAnyRequest()
    {
        using var synchronizer = new S3Synchronizer(new S3SyncOptions { EndpointUrl = new Uri("http://127.0.0.1:9/") });
        SyncUnit[] units = [new("same", "a/", "a"), new("same", "b/", "b")];

        Assert.ThrowsAsync<ArgumentException>(() => synchronizer.SyncAsync(units, new Dictionary<string, RemoteObjectRecord>()));
    }

    [TestCase(0)]
    [TestCase(1001)]
    public void ListPagesMustHoldOneToOneThousandKeys(int pageSize) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new S3Synchronizer(new S3SyncOptions { ListPageSize = pageSize }));
}
