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
Teardown(context => build?.Dispose());

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
    .Does(() => build.Tensors());

Task("Features")
    .Description("DINOv3 CLS features data/features/<barcode>/rRRcCCfFF.pt (ONNX Runtime, CUDA when available), only for stale sites.")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.Features());

Task("Sites")
    .Description("Tensors and Features in one pass over the sites: each site's TIFFs are decoded once for both.")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.TensorsAndFeatures());

Task("Metadata")
    .Description("Metadata cache data/metadata/cache/<batch>.json: perturbation info and texts per (barcode, well).")
    .IsDependentOn("Sample")
    .IsDependentOn("Download")
    .Does(() => build.Metadata());

Task("Splits")
    .Description("Split files data/splits/<strategy>.csv for the configured strategies.")
    .IsDependentOn("Metadata")
    .Does(() => build.Splits());

Task("WellIndex")
    .Description("Per plate well_index.json next to its tensors and its features: well -> site files, metadata key, pert type.")
    .IsDependentOn("Sites")
    .IsDependentOn("Metadata")
    .Does(() => build.WellIndex());

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
    .Description("Runs the test suite.")
    .Does(() => DotNetTest($"{root}/CellPaintingBuild.slnx", new DotNetTestSettings
    {
        Configuration = "Release",
        NoBuild = true,
        Loggers = new[] { "trx", "console;verbosity=minimal" },
        ResultsDirectory = $"{root}/artifacts/test-results",
    }));

RunTarget(target);
