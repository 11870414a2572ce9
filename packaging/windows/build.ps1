# Pronto's Windows installer (.msi), the Linux script's twin: jlinked runtime -> app-image -> msi.
# Run from any folder on Windows with JDK 17+ (with jmods), Maven and the WiX Toolset 3 on the PATH.
# Output: target\packaging\pronto-0.1.0.msi
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$Version = "0.1.0"
$Out = "target\packaging"
$JavaHome = if ($env:JAVA_HOME) { $env:JAVA_HOME } else { Split-Path (Split-Path (Get-Command javac).Source) }
$Modules = "java.base,java.desktop,java.logging,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,jdk.naming.dns,jdk.net,jdk.unsupported,javafx.controls"

if (Test-Path $Out) { Remove-Item -Recurse -Force $Out }
New-Item -ItemType Directory -Force "$Out\input", "$Out\fxmods", "$Out\lib" | Out-Null
# A native command's failure does not stop PowerShell: every one is checked.
mvn -q "-Dmaven.test.skip=true" package dependency:copy-dependencies "-DincludeScope=runtime" "-DoutputDirectory=$Out\lib"
if ($LASTEXITCODE -ne 0) { throw "the Maven build failed" }
Copy-Item (Get-ChildItem target\pronto-*.jar).FullName "$Out\input\pronto.jar"
foreach ($jar in Get-ChildItem "$Out\lib\*.jar") {
    if ($jar.Name -like "javafx-*-win.jar") { Copy-Item $jar.FullName "$Out\fxmods\" }
    elseif ($jar.Name -notlike "javafx-*") { Copy-Item $jar.FullName "$Out\input\" }
}

# The library jars trimmed as on Linux (why, in JarTrim): BouncyCastle's unsigned and not named as
# providers, sqlite-jdbc with this system's native library only.
& "$JavaHome\bin\java" packaging\JarTrim.java "$Out\input"
if ($LASTEXITCODE -ne 0) { throw "JarTrim failed" }

# With the runtime's class-data-sharing archive (the JDK's classes mapped, not loaded one by one).
& "$JavaHome\bin\jlink" --module-path "$JavaHome\jmods;$Out\fxmods" --add-modules $Modules `
    --strip-debug --no-header-files --no-man-pages --compress=0 --generate-cds-archive --output "$Out\runtime"
if ($LASTEXITCODE -ne 0) { throw "jlink failed" }

# The installed app's JVM options, the same on every system (why each, in that file).
$JavaOptions = @()
foreach ($line in Get-Content packaging\jvm-options) {
    $option = $line.Trim()
    if ($option -and -not $option.StartsWith("#")) { $JavaOptions += "--java-options", $option }
}

& "$JavaHome\bin\jpackage" --type msi --name Pronto --app-version $Version `
    --description "Serverless chat with the people on your local network" --vendor "Pronto" `
    --input "$Out\input" --main-jar pronto.jar --main-class chat.pronto.app.Main @JavaOptions `
    --runtime-image "$Out\runtime" --icon packaging\windows\pronto.ico `
    --win-menu --win-menu-group "Pronto" --win-shortcut --win-dir-chooser `
    --win-upgrade-uuid "4f5c2a7e-9d4b-4b8e-a1f3-6c2d9e0b7a51" --dest $Out
if ($LASTEXITCODE -ne 0) { throw "jpackage failed" }
Get-ChildItem "$Out\*.msi"
