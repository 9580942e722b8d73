using System.Text;
using CellPainting.Engine.LockFiles;

namespace CellPainting.Engine.Tests.LockFiles;

public sealed class LockFileSerializerTests
{
    private const string DigestA = "sha256:aaaa";
    private const string DigestB = "sha256:bbbb";

    /// <summary>Two targets and their groups, parameters and attributes, all given out of order.</summary>
    private static LockFile SmallLock() => new(new Dictionary<string, TargetLock>
    {
        ["segment"] = new(
            4,
            new Dictionary<string, string> { ["model"] = "cyto2", ["diameter"] = "30" },
            new Dictionary<string, GroupLock>
            {
                ["plate-B"] = new(2, DigestB, new Dictionary<string, string>()),
                ["plate-A"] = new(3, DigestA, new Dictionary<string, string> { ["source"] = "s3://bucket/plate-A", ["batch"] = "2020_11_04" }),
            }),
        ["illum"] = new(
            1,
            new Dictionary<string, string>(),
            new Dictionary<string, GroupLock>
            {
                ["plate-A"] = new(5, DigestA, new Dictionary<string, string>()),
            }),
    });

    private const string SmallLockText =
        """
        {
          "lock_version": 1,
          "targets": {
            "illum": {
              "recipe": 1,
              "params": {},
              "items": 5,
              "groups": {
                "plate-A": {
                  "items": 5,
                  "digest": "sha256:aaaa"
                }
              }
            },
            "segment": {
              "recipe": 4,
              "params": {
                "diameter": "30",
                "model": "cyto2"
              },
              "items": 5,
              "groups": {
                "plate-A": {
                  "items": 3,
                  "digest": "sha256:aaaa",
                  "batch": "2020_11_04",
                  "source": "s3://bucket/plate-A"
                },
                "plate-B": {
                  "items": 2,
                  "digest": "sha256:bbbb"
                }
              }
            }
          }
        }

        """;

    [Test]
    public void A_lock_is_written_with_sorted_keys_two_space_indent_LF_and_a_trailing_newline()
    {
        byte[] bytes = LockFileSerializer.Serialize(SmallLock());

        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo(SmallLockText.ReplaceLineEndings("\n")));
        Assert.That(bytes, Does.Not.Contain((byte)'\r'));
        Assert.That(bytes[^1], Is.EqualTo((byte)'\n'));
        Assert.That(bytes[^2], Is.EqualTo((byte)'}'));
    }

    [Test]
    public void Keys_are_sorted_ordinally_not_alphabetically()
    {
        LockFile lockFile = LockFile.Empty
            .WithTarget("b", new TargetLock(1, new Dictionary<string, string> { ["b"] = "1", ["a"] = "2", ["B"] = "3" }, new Dictionary<string, GroupLock>()))
            .WithTarget("a", new TargetLock(1, new Dictionary<string, string>(), new Dictionary<string, GroupLock>
            {
                ["plate9"] = new(1, DigestA, new Dictionary<string, string>()),
                ["plate10"] = new(1, DigestB, new Dictionary<string, string>()),
            }))
            .WithTarget("B", new TargetLock(1, new Dictionary<string, string>(), new Dictionary<string, GroupLock>()));

        string text = Encoding.UTF8.GetString(LockFileSerializer.Serialize(lockFile));

        Assert.That(text.IndexOf("\"B\": {", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"a\": {", StringComparison.Ordinal)));
        Assert.That(text.IndexOf("\"a\": {", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"b\": {", StringComparison.Ordinal)));
        Assert.That(text.IndexOf("\"plate10\"", StringComparison.Ordinal), Is.LessThan(text.IndexOf("\"plate9\"", StringComparison.Ordinal)));
        Assert.That(text, Does.Contain("\"params\": {\n        \"B\": \"3\",\n        \"a\": \"2\",\n        \"b\": \"1\"\n      }"));
    }

    [Test]
    public void Serialize_Deserialize_Serialize_gives_the_same_bytes()
    {
        byte[] first = LockFileSerializer.Serialize(SmallLock());

        byte[] second = LockFileSerializer.Serialize(LockFileSerializer.Deserialize(first, "data.lock.json"));

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Deserialize_gives_back_every_field()
    {
        LockFile read = LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(SmallLockText), "data.lock.json");

        Assert.That(read.Targets.Keys, Is.EqualTo(new[] { "illum", "segment" }));
        TargetLock segment = read.Targets["segment"];
        Assert.That(segment.RecipeVersion, Is.EqualTo(4));
        Assert.That(segment.Parameters, Is.EqualTo(new Dictionary<string, string> { ["diameter"] = "30", ["model"] = "cyto2" }));
        Assert.That(segment.Items, Is.EqualTo(5));
        Assert.That(segment.Groups.Keys, Is.EqualTo(new[] { "plate-A", "plate-B" }));
        GroupLock plateA = segment.Groups["plate-A"];
        Assert.That(plateA.Items, Is.EqualTo(3));
        Assert.That(plateA.Digest, Is.EqualTo(DigestA));
        Assert.That(plateA.Attributes, Is.EqualTo(new Dictionary<string, string> { ["batch"] = "2020_11_04", ["source"] = "s3://bucket/plate-A" }));
        Assert.That(read.Targets["illum"].Parameters, Is.Empty);
    }

    [Test]
    public void An_empty_lock_has_no_targets()
    {
        byte[] bytes = LockFileSerializer.Serialize(LockFile.Empty);

        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo("{\n  \"lock_version\": 1,\n  \"targets\": {}\n}\n"));
        Assert.That(LockFileSerializer.Deserialize(bytes, "data.lock.json").Targets, Is.Empty);
    }

    [Test]
    public void A_lock_whose_manifests_are_in_the_cache_says_so_between_its_version_and_its_targets()
    {
        LockFile inCache = LockFile.Empty.WithTarget("illum", new TargetLock(1, new Dictionary<string, string>(), new Dictionary<string, GroupLock>())) with { Manifests = ManifestMode.Cache };

        byte[] bytes = LockFileSerializer.Serialize(inCache);

        Assert.That(Encoding.UTF8.GetString(bytes), Is.EqualTo("{\n  \"lock_version\": 1,\n  \"manifests\": \"cache\",\n  \"targets\": {\n    \"illum\": {\n      \"recipe\": 1,\n      \"params\": {},\n      \"items\": 0,\n      \"groups\": {}\n    }\n  }\n}\n"));
        Assert.That(LockFileSerializer.Deserialize(bytes, "data.lock.json").Manifests, Is.EqualTo(ManifestMode.Cache));
    }

    [Test]
    public void A_lock_with_committed_manifests_has_no_manifests_key_and_keeps_its_bytes()
    {
        LockFile read = LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(SmallLockText), "data.lock.json");

        Assert.That(read.Manifests, Is.EqualTo(ManifestMode.Commit));
        Assert.That(Encoding.UTF8.GetString(LockFileSerializer.Serialize(read)), Does.Not.Contain("manifests"));
    }

    [Test]
    public void Adding_a_target_keeps_where_the_manifests_are()
    {
        LockFile inCache = LockFile.Empty with { Manifests = ManifestMode.Cache };

        Assert.That(inCache.WithTarget("illum", new TargetLock(1, new Dictionary<string, string>(), new Dictionary<string, GroupLock>())).Manifests, Is.EqualTo(ManifestMode.Cache));
    }

    [Test]
    public void An_unknown_manifests_value_is_refused_naming_the_file()
    {
        string other = SmallLockText.Replace("\"lock_version\": 1,", "\"lock_version\": 1,\n  \"manifests\": \"s3\",", StringComparison.Ordinal);

        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(other), "data.lock.json"));

        Assert.That(thrown!.Message, Is.EqualTo("data.lock.json: manifests 's3' is not supported (expected \"cache\", or no key for committed manifests)."));
    }

    [TestCase("<<<<<<< HEAD")]
    [TestCase("=======")]
    [TestCase(">>>>>>> feature/new-plates")]
    public void A_merge_conflict_marker_is_reported_with_its_file_and_line(string marker)
    {
        string[] lines = SmallLockText.ReplaceLineEndings("\n").Split('\n');
        string conflicted = string.Join('\n', lines[..6].Append(marker).Concat(lines[6..]));

        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(conflicted), "data.lock.json"));

        Assert.That(thrown!.Message, Does.StartWith("data.lock.json:7: merge-conflict marker"));
    }

    [Test]
    public void A_conflict_marker_on_the_first_line_is_reported_as_line_1()
    {
        string conflicted = "<<<<<<< ours\n" + SmallLockText;

        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(conflicted), "data.lock.json"));

        Assert.That(thrown!.Message, Does.StartWith("data.lock.json:1: "));
    }

    [Test]
    public void Another_lock_version_is_refused()
    {
        string future = SmallLockText.Replace("\"lock_version\": 1", "\"lock_version\": 2", StringComparison.Ordinal);

        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(future), "data.lock.json"));

        Assert.That(thrown!.Message, Is.EqualTo("data.lock.json: lock_version 2 is not supported (expected 1)."));
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[]")]
    [TestCase("{\"targets\": {}}")]
    [TestCase("{\"lock_version\": \"1\", \"targets\": {}}")]
    [TestCase("{\"lock_version\": 1.5, \"targets\": {}}")]
    [TestCase("{\"lock_version\": 1, \"targets\": {\"t\": {\"recipe\": 1, \"params\": {}}}}")]
    [TestCase("{\"lock_version\": 1, \"targets\": {\"t\": {\"recipe\": 1, \"params\": {\"a\": 1}, \"groups\": {}}}}")]
    public void Content_that_is_not_a_lock_is_a_LockFileException_naming_the_file(string content)
    {
        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes(content), "data.lock.json"));

        Assert.That(thrown!.Message, Does.Match(@"^data\.lock\.json(:[1-9][0-9]*)?: not a valid lock file: "));
    }

    [Test]
    public void A_syntax_error_is_reported_at_its_line_counted_from_1_and_only_once()
    {
        var thrown = Assert.Throws<LockFileException>(() => LockFileSerializer.Deserialize(Encoding.UTF8.GetBytes("{\n  \"lock_version\": 1,\n  oops\n}\n"), "/repo/data.lock.json"));

        Assert.That(thrown!.Message, Does.StartWith("/repo/data.lock.json:3: not a valid lock file: 'o' is an invalid start of a property name."));
        Assert.That(thrown.Message, Does.Not.Contain("LineNumber"));
    }
}
