#!/usr/bin/env pwsh
# BnMlNet build script. Runs on Linux and Windows with PowerShell 7, which the repository brings as a local
# dotnet tool:  dotnet tool restore; dotnet pwsh ./build.ps1 <task>
#
# Tasks: restore, build, test, bench, pack, demo (default: build).
#   test   -Quick skips the long suites (TestCategory=Long); CI runs everything.
#   bench  runs the BenchmarkDotNet kernels (pass BenchmarkDotNet arguments after --), e.g. ./build.ps1 bench -- --filter '*Gemm*'
#   demo   runs the sample app's main job.
param(
    [Parameter(Position = 0)][ValidateSet('restore', 'build', 'test', 'bench', 'pack', 'demo')][string]$Task = 'build',
    [string]$Configuration = 'Release',
    [switch]$Quick,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$Rest = @()
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Dotnet([string[]]$Arguments) {
    Write-Host "> dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'restore' { Invoke-Dotnet @('restore', 'BnMlNet.sln') }
    'build' { Invoke-Dotnet @('build', 'BnMlNet.sln', '-c', $Configuration) }
    'test' {
        $arguments = @('test', 'BnMlNet.sln', '-c', $Configuration, '--logger', 'console;verbosity=detailed')
        if ($Quick) { $arguments += @('--filter', 'TestCategory!=Long') }
        Invoke-Dotnet $arguments
    }
    'bench' {
        Invoke-Dotnet (@('run', '-c', 'Release', '--project', 'test/BnMlNet.Benchmarks', '--') + ($Rest | Where-Object { $_ -ne '--' }))
    }
    'pack' { Invoke-Dotnet @('pack', 'BnMlNet.sln', '-c', $Configuration, '-o', 'artifacts/packages') }   # BnMlNet and BnMlNet.Engine
    'demo' { Invoke-Dotnet @('run', '-c', $Configuration, '--project', 'src/Samples/BnMlNet.Samples') }
}
