# Signs one file for the Windows release: Tauri calls it (bundle.windows.signCommand, set by
# scripts/release-build.sh) for the app, each installer and the uninstaller.
#   WINDOWS_SIGN_COMMAND: a cloud signer's command line, `%1` standing for the file (Azure
#     Trusted Signing, SSL.com eSigner, a KMS-backed key: keys that cannot be exported as .pfx).
#   WINDOWS_CERTIFICATE (base64 .pfx) and WINDOWS_CERTIFICATE_PASSWORD: signtool with that file.
# Either way the signature is SHA-256 with an RFC 3161 timestamp, so it outlives the certificate.
param([Parameter(Mandatory = $true)][string] $File)
$ErrorActionPreference = 'Stop'

if ($env:WINDOWS_SIGN_COMMAND) {
  # Run from a batch file: the installers' names have spaces, and a command line handed to
  # cmd.exe through PowerShell's argument quoting would be quoted twice.
  $batch = Join-Path $env:RUNNER_TEMP "sign-$([guid]::NewGuid()).cmd"
  Set-Content -Path $batch -Encoding ascii -Value ('@' + $env:WINDOWS_SIGN_COMMAND.Replace('%1', "`"$File`""))
  try {
    & cmd.exe /d /c $batch
    if ($LASTEXITCODE -ne 0) { throw "WINDOWS_SIGN_COMMAND failed ($LASTEXITCODE) on $File" }
  } finally {
    Remove-Item $batch
  }
  exit 0
}

if (-not $env:WINDOWS_CERTIFICATE) { throw 'Set WINDOWS_SIGN_COMMAND or WINDOWS_CERTIFICATE to sign' }
# The certificate is written once per job, to the runner's temporary folder (emptied after it).
$pfx = Join-Path $env:RUNNER_TEMP 'signing.pfx'
if (-not (Test-Path $pfx)) {
  [IO.File]::WriteAllBytes($pfx, [Convert]::FromBase64String($env:WINDOWS_CERTIFICATE))
}
$signtool = Get-ChildItem "${env:ProgramFiles(x86)}\Windows Kits\10\bin\*\x64\signtool.exe" |
  Sort-Object FullName | Select-Object -Last 1
if (-not $signtool) { throw 'signtool.exe was not found: install the Windows SDK' }
$password = @()
if ($env:WINDOWS_CERTIFICATE_PASSWORD) { $password = @('/p', $env:WINDOWS_CERTIFICATE_PASSWORD) }
& $signtool.FullName sign /f $pfx @password /fd sha256 /tr http://timestamp.digicert.com /td sha256 $File
if ($LASTEXITCODE -ne 0) { throw "signtool failed ($LASTEXITCODE) on $File" }
