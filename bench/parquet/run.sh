#!/usr/bin/env bash
# Parquet library benchmark (prints figures; not a test): one plate's site profiles written with Parquet.Net and with
# ParquetSharp, interleaved; time best/median, size, determinism, created_by, native dependency.
# Usage: bench/parquet/run.sh [sites=3456] [dimension=384] [runs=5]   (dimension 1024 for ViT-L)
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build -c Release bench/parquet/ParquetBench/ParquetBench.csproj -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet run -c Release --no-build --project bench/parquet/ParquetBench/ParquetBench.csproj -- "$@"
