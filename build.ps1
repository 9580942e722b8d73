# PowerShell equivalent of build.sh (Windows, or Linux through the local tool: `dotnet tool run pwsh ./build.ps1`): set up,
# build the library when sources changed, hand the arguments to Cake. The Debian packages build.sh installs are not
# installed here.
#   ./build.ps1                      main job on the embedded sample
#   ./build.ps1 --target=Test        test suite
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

# The local Cake tool: restore only when its package is not in the NuGet cache yet (a restore costs ~1 s a run).
$cakeVersion = (Get-Content -Raw dotnet-tools.json | ConvertFrom-Json).tools.'cake.tool'.version
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
$cakePackage = Join-Path $packages "cake.tool/$cakeVersion"
if (-not (Test-Path $cakePackage)) {
    dotnet tool restore | Out-Null
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

# Cake's script cache (see build.sh): keyed on the script's text, so invalidated whenever the library is rebuilt.
$env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true'; $env:CAKE_PATHS_CACHE = Join-Path $PSScriptRoot 'artifacts/cake-script-cache'
$cakeOptions = @()

# The same inputs as build.sh's check. -Force: on Linux and macOS a dot-file (the stamp itself) is hidden otherwise.
$stamp = 'artifacts/.build-stamp'
$built = if (Test-Path $stamp) { (Get-Item -Force $stamp).LastWriteTime } else { $null }
$sources = Get-ChildItem -Recurse -File -Force src, tests, build, models, Directory.Build.props, Directory.Packages.props, CellPaintingBuild.slnx
if ($null -eq $built -or ($sources | Where-Object { $_.LastWriteTime -gt $built })) {
    dotnet build CellPaintingBuild.slnx -c Release -nologo -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
    New-Item -ItemType File -Force $stamp | Out-Null
    $cakeOptions += '--invalidate-script-cache'
}

# As in build.sh: tiered PGO's instrumentation cost Cake's process 8 % more CPU on a cold run and bought no speed.
# Cake runs as `dotnet exec` of the tool's own assembly, as in build.sh: `dotnet cake` first starts the SDK's CLI to
# find the local tool, a second process and ~0.5 s of CPU on every command.
$env:DOTNET_TieredPGO = '0'
dotnet exec (Join-Path $cakePackage 'tools/net10.0/any/Cake.dll') build/build.cake @cakeOptions @args
exit $LASTEXITCODE
