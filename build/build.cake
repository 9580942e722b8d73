// Thin Cake script: each target calls the CellPainting.Build library, which does the work (and is unit-tested).
#r "../artifacts/bin/CellPainting.Build/release/CellPainting.Build.dll"

using CellPainting.Build;

var target = Argument("target", "Default");
var root = MakeAbsolute(Directory("..")).FullPath;
var options = new BuildOptions(
    root,
    Argument("config", BuildOptions.DefaultConfig),
    HasArgument("explain") || HasArgument("dryrun"),
    TimeSpan.FromSeconds(Argument("wait-lock", 0)))
    .WithSharding(Argument<string>("shard", null), Argument<string>("shard-plan", null), Argument("run", target));

DataBuild build = null;

// LockDiff reads committed lock files only, ShardPlan images and metadata only: no build session, no run lock.
Setup(context => build = new[] { "LockDiff", "ShardPlan" }.Contains(target, StringComparer.OrdinalIgnoreCase) ? null : DataBuild.Open(options));
// A target whose items failed does not stop the targets that do not need it (OnError: build.Defer); Finish fails the
// run at the end with everything that failed or did not run.
Teardown(context => build?.Finish());

Task("Sample")
    .Description("Synthesises the embedded sample dataset (configs with a sample section only).")
    .Does(() => build.Sample());

Task("Download")
    .Description("Syncs raw images (channels 1-5 by default) and metadata from S3 (configs with fetch.source: s3).")
    .Does(() => build.Download());

Task("Tensors")
    .Description("Site tensors data/tensors/<barcode>/rRRcCCfFF.pt, only for stale sites.")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.Tensors())
    .OnError(exception => build.Defer(exception));

Task("Features")
    .Description("DINOv3 CLS features data/features/<barcode>/rRRcCCfFF.pt (ONNX Runtime, CUDA when available), only for stale sites.")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.Features())
    .OnError(exception => build.Defer(exception));

Task("Sites")
    .Description("Tensors and Features in one pass over the sites: each site's TIFFs are decoded once for both.")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.TensorsAndFeatures())
    .OnError(exception => build.Defer(exception));

Task("Metadata")
    .Description("Metadata cache data/metadata/cache/<batch>.json: perturbation info and texts per (barcode, well).")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.Metadata())
    .OnError(exception => build.Defer(exception));

Task("Splits")
    .Description("Split files data/splits/<strategy>.csv for the configured strategies.")
    .IsDependentOn("Metadata")
    .Does(() => build.Splits())
    .OnError(exception => build.Defer(exception));

Task("WellIndex")
    .Description("Per plate well_index.json next to its tensors and its features: well -> site files, metadata key, pert type.")
    .IsDependentOn("Sites")
    .IsDependentOn("Metadata")
    .Does(() => build.WellIndex())
    .OnError(exception => build.Defer(exception));

// The Gallery and spora_io trees: extra outputs read from the tensors, features and metadata; not in Default.
Task("Profiles")
    .Description("Gallery-style Parquet profiles (site and well level) per plate under layout.gallery.root, and their profile_index.json; --recipe-commit=<sha> fills its permalinks.")
    .IsDependentOn("Features")
    .IsDependentOn("Metadata")
    .Does(() => build.Profiles(Argument<string>("recipe-commit", null)));

Task("Standardization")
    .Description("spora_io per-channel standardisation statistics of the tensors for layout.spora_io.standardization, as Parquet.")
    .IsDependentOn("Tensors")
    .Does(() => build.Standardization());

Task("Tiling")
    .Description("spora_io fixed-grid tile coordinates and per-tile channel means of the tensors for layout.spora_io.tile_sizes, as Parquet.")
    .IsDependentOn("Tensors")
    .Does(() => build.Tiling());

Task("Layouts")
    .Description("Sites and Metadata, then Profiles, Standardization and Tiling.")
    .IsDependentOn("Sites")
    .IsDependentOn("Metadata")
    .IsDependentOn("Profiles")
    .IsDependentOn("Standardization")
    .IsDependentOn("Tiling");

Task("Default")
    .IsDependentOn("Sites")
    .IsDependentOn("Metadata")
    .IsDependentOn("Splits")
    .IsDependentOn("WellIndex");

Task("LockDiff")
    .Description("Markdown (--format=json) summary of the lock's changes against --base=<git revision or lock file> (default HEAD); --out=<file>.")
    .Does(() => LockReview.Diff(options, Argument("base", LockReview.DefaultBase), Argument("format", LockReview.DefaultFormat), Argument<string>("out", null)));

Task("LockMerge")
    .Description("Merges shard locks (--from=<lock file>, --from-run=<run id>: all of <lock dir>/shards/<run>/) into the configured lock; conflicting entries are an error.")
    .Does(() => build.MergeLocks(Arguments<string>("from", Array.Empty<string>()), Arguments<string>("from-run", Array.Empty<string>())));

Task("ShardPlan")
    .Description("Prints the partition --shard=K/N builds for --shards=N: a table (plates, sites, cost per shard) and the GitHub Actions matrix JSON (--out=<file>).")
    .Does(() => ShardPlanner.Plan(options, Argument<int>("shards"), Argument<string>("out", null)));

Task("Verify")
    .Description("Re-hashes every output against data.lock.json; --sample=N also rebuilds N items per target in a scratch folder (--seed=S picks them).")
    .Does(() => build.Verify(Argument("sample", 0), HasArgument("seed") ? Argument<int>("seed") : null));

Task("Clean")
    .Description("Lists outputs no site of the current plan produces and leftover temporary files; --remove deletes them.")
    .Does(() => build.Clean(HasArgument("remove")));

Task("LockRegenerate")
    .Description("Rewrites data.lock.json and its manifests from the outputs and the local state, rebuilding nothing.")
    .Does(() => build.LockRegenerate());

Task("Test")
    .Description("Runs the test suite (--test-filter=<dotnet test filter> runs part of it).")
    .Does(() => DotNetTest($"{root}/CellPaintingBuild.slnx", new DotNetTestSettings
    {
        Configuration = "Release",
        NoBuild = true,
        Filter = Argument<string>("test-filter", null),
        Loggers = new[] { "trx", "console;verbosity=minimal" },
        ResultsDirectory = $"{root}/artifacts/test-results",
    }));

RunTarget(target);
