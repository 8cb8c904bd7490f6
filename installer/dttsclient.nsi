; DTTS Client — the Windows installer (NSIS 3, Modern UI 2).
;
; Per-user: installs into %LOCALAPPDATA%\Programs\DTTSClient without asking for administrator rights,
; with Start-menu and desktop shortcuts, in Vietnamese (default) or English. An existing install is
; found through HKCU and upgraded in place. The uninstaller removes the program only: the officer's
; data (%LOCALAPPDATA%\DTTSClient — profiles, backups, logs — and the sign-in kept in the Windows
; Credential Manager) is never touched, and neither is a portable.txt or data\ folder someone put in
; the program folder.
;
; Build (after PyInstaller; see installer/README.md):
;   makensis /DVERSION=0.1.0 /DDIST_DIR=..\build\pyinstaller\dist\dttsclient installer\dttsclient.nsi
; Options: /DVERSION=X.Y.Z (required), /DDIST_DIR=folder of the one-folder build (relative paths are
; relative to this file's folder), /DOUT_FILE=installer path, /DVERSION_WIN=X.Y.Z.W (when VERSION is
; not three numbers), /DSIGN (see below). On Linux, makensis takes -D instead of /D.
; Silent install: dttsclient-X.Y.Z-setup.exe /S [/D=C:\path] (the /D= last). Exit codes: 0 installed,
; 1 cancelled, 2 not installed (DTTS Client stayed open, or the PC runs 32-bit Windows).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

; -- what is built ----------------------------------------------------------------------------------
!ifndef VERSION
  !error "Give the version: makensis /DVERSION=X.Y.Z (dttsclient.__version__)"
!endif
!ifndef VERSION_WIN
  !define VERSION_WIN "${VERSION}.0"
!endif
!ifndef DIST_DIR
  !define DIST_DIR "..\build\pyinstaller\dist\dttsclient"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "..\build\pyinstaller\dttsclient-${VERSION}-setup.exe"
!endif

; /DSIGN: sign the installer and the uninstaller inside it with signtool (Windows SDK, on the PATH),
; using the code-signing certificate in $DTTS_SIGN_PFX (password in $DTTS_SIGN_PASSWORD) and the RFC 3161
; timestamp server in $DTTS_TIMESTAMP_URL. Sign the program's .exe files before this (installer/README.md).
!ifdef SIGN
  !define SIGN_COMMAND 'signtool sign /fd SHA256 /td SHA256 /tr "$%DTTS_TIMESTAMP_URL%" /f "$%DTTS_SIGN_PFX%" /p "$%DTTS_SIGN_PASSWORD%" "%1"'
  !finalize '${SIGN_COMMAND}' = 0
  !uninstfinalize '${SIGN_COMMAND}' = 0
!endif

!define APP_NAME "DTTS Client"
!define APP_ID "DTTSClient"
!define PUBLISHER "DTTS"
!define EXE_NAME "dttsclient.exe"
!define CLI_NAME "dttsclient-cli.exe"
!define UNINSTALLER "uninstall.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_PATHS_KEY "Software\Microsoft\Windows\CurrentVersion\App Paths\${EXE_NAME}"
!define START_FOLDER "${APP_NAME}"
; Where platformdirs keeps the officer's data (never removed; shown in the uninstaller).
!define DATA_DIR "$LOCALAPPDATA\${APP_ID}"

Name "${APP_NAME}"
OutFile "${OUT_FILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP_NAME} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

Var PreviousVersion  ; the DisplayVersion of the install being upgraded ("" for a new install)

; -- Modern UI ---------------------------------------------------------------------------------------
!define MUI_ICON "dttsclient.ico"
!define MUI_UNICON "dttsclient.ico"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_LANGDLL_WINDOWTITLE "DTTS Client"
!define MUI_LANGDLL_INFO "Chọn ngôn ngữ cài đặt / Choose the installer's language"

!define MUI_WELCOMEPAGE_TEXT "$(WelcomeText)"
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE_NAME}"
!define MUI_FINISHPAGE_RUN_TEXT "$(FinishRun)"
!insertmacro MUI_PAGE_FINISH

!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(UninstallKeepsData)"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default: Vietnamese, whatever the language of Windows.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

; -- our own strings, in both languages --------------------------------------------------------------
LangString WelcomeText ${LANG_VIETNAMESE} "Chương trình sẽ cài DTTS Client ${VERSION} — báo cáo chỉ tiêu thống kê công tác dân tộc — cho tài khoản Windows này (không cần quyền quản trị).$\r$\n$\r$\nNếu máy đã có DTTS Client, chương trình sẽ được nâng cấp; dữ liệu đã nhập được giữ nguyên.$\r$\n$\r$\nBấm Tiến để tiếp tục."
LangString WelcomeText ${LANG_ENGLISH} "This will install DTTS Client ${VERSION} — reporting the statistical indicators of ethnic-minority affairs — for this Windows account (no administrator rights needed).$\r$\n$\r$\nIf DTTS Client is already installed it is upgraded; the data already entered is kept.$\r$\n$\r$\nClick Next to continue."
LangString FinishRun ${LANG_VIETNAMESE} "Mở DTTS Client ngay"
LangString FinishRun ${LANG_ENGLISH} "Open DTTS Client now"
LangString AppRunning ${LANG_VIETNAMESE} "DTTS Client đang mở. Hãy đóng chương trình (dữ liệu đã được lưu), rồi bấm Thử lại (Retry)."
LangString AppRunning ${LANG_ENGLISH} "DTTS Client is open. Close it (your data is already saved), then click Retry."
LangString AppStillRunning ${LANG_VIETNAMESE} "DTTS Client vẫn đang mở; chưa cài đặt gì."
LangString AppStillRunning ${LANG_ENGLISH} "DTTS Client is still open; nothing was installed."
LangString Upgrading ${LANG_VIETNAMESE} "Nâng cấp DTTS Client từ phiên bản $PreviousVersion lên ${VERSION} tại $INSTDIR"
LangString Upgrading ${LANG_ENGLISH} "Upgrading DTTS Client from version $PreviousVersion to ${VERSION} in $INSTDIR"
LangString ShortcutUninstall ${LANG_VIETNAMESE} "Gỡ cài đặt DTTS Client"
LangString ShortcutUninstall ${LANG_ENGLISH} "Uninstall DTTS Client"
LangString UninstallKeepsData ${LANG_VIETNAMESE} "Chỉ gỡ chương trình khỏi $INSTDIR. Dữ liệu của bạn (hồ sơ, bản sao lưu, nhật ký trong ${DATA_DIR}) được giữ nguyên; cài lại là dùng tiếp được."
LangString UninstallKeepsData ${LANG_ENGLISH} "Only the program is removed from $INSTDIR. Your data (profiles, backups and logs in ${DATA_DIR}) is kept; install again to carry on."
LangString Needs64Bit ${LANG_VIETNAMESE} "DTTS Client cần Windows 64-bit (Windows 10 hoặc 11). Máy này chạy Windows 32-bit nên không cài được."
LangString Needs64Bit ${LANG_ENGLISH} "DTTS Client needs 64-bit Windows (Windows 10 or 11). This PC runs 32-bit Windows, so it cannot be installed."
LangString DataKept ${LANG_VIETNAMESE} "Dữ liệu được giữ nguyên tại ${DATA_DIR}"
LangString DataKept ${LANG_ENGLISH} "Your data is kept in ${DATA_DIR}"

; -- the installer's own version resource ------------------------------------------------------------
VIProductVersion "${VERSION_WIN}"
VIFileVersion "${VERSION_WIN}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${APP_NAME} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License"

; -- is the program open? ----------------------------------------------------------------------------
; A running executable cannot be opened for writing: that tells, without a plugin and without changing
; the file, whether DTTS Client (the window or the command line) is open from this folder.
!macro CHECK_IN_USE FILE
  ${If} ${FileExists} "${FILE}"
    ClearErrors
    FileOpen $0 "${FILE}" a
    ${If} ${Errors}
      StrCpy $1 1
    ${Else}
      FileClose $0
    ${EndIf}
  ${EndIf}
!macroend

; Waits until DTTS Client is closed. Interactive: asks the officer to close it (Retry / Cancel).
; Silent (/S): asks its window to close as the officer would (taskkill without /F sends WM_CLOSE; every
; cell is already saved), waits up to 30 s, then aborts with exit code 2 and changes nothing.
!macro CLOSE_RUNNING_APP_FN un
Function ${un}CloseRunningApp
  Push $0
  Push $1
  Push $2
  StrCpy $2 0
  check:
    StrCpy $1 0
    !insertmacro CHECK_IN_USE "$INSTDIR\${EXE_NAME}"
    !insertmacro CHECK_IN_USE "$INSTDIR\${CLI_NAME}"
    ${If} $1 == 0
      Goto done
    ${EndIf}
    ${If} ${Silent}
      ${If} $2 == 0
        nsExec::Exec '"$SYSDIR\taskkill.exe" /IM ${EXE_NAME}'
        Pop $0
      ${EndIf}
      IntOp $2 $2 + 1
      ${If} $2 > 30
        SetErrorLevel 2
        Abort "$(AppStillRunning)"
      ${EndIf}
      Sleep 1000
      Goto check
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" /SD IDCANCEL IDRETRY check
    Abort "$(AppStillRunning)"
  done:
  Pop $2
  Pop $1
  Pop $0
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING_APP_FN ""
!insertmacro CLOSE_RUNNING_APP_FN "un."

!macro DELETE_SHORTCUTS
  Delete "$DESKTOP\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\${APP_NAME}.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\Gỡ cài đặt DTTS Client.lnk"
  Delete "$SMPROGRAMS\${START_FOLDER}\Uninstall DTTS Client.lnk"
!macroend

; -- install -----------------------------------------------------------------------------------------
Function .onInit
  ; Vietnamese unless the officer chose English before (remembered under the uninstall key).
  StrCpy $LANGUAGE ${LANG_VIETNAMESE}
  !insertmacro MUI_LANGDLL_DISPLAY
  ${IfNot} ${RunningX64}  ; Qt 6 runs on 64-bit Windows only
    MessageBox MB_OK|MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ; InstallDirRegKey has put an existing install's folder in $INSTDIR: this is an upgrade.
  ReadRegStr $PreviousVersion HKCU "${UNINST_KEY}" "DisplayVersion"
  ${If} $PreviousVersion != ""
  ${AndIfNot} ${FileExists} "$INSTDIR\${EXE_NAME}"
    StrCpy $PreviousVersion ""  ; a stale key: the folder was removed by hand
  ${EndIf}
FunctionEnd

Function SkipDirectoryOnUpgrade
  ${If} $PreviousVersion != ""
    Abort  ; an upgrade stays where the program is
  ${EndIf}
FunctionEnd

Section "!${APP_NAME}" SecMain
  SectionIn RO
  SetShellVarContext current
  Call CloseRunningApp
  ${If} $PreviousVersion != ""
    DetailPrint "$(Upgrading)"
  ${EndIf}

  ; Replace the previous version's program files, and nothing else that lives in the folder.
  ${If} ${FileExists} "$INSTDIR\${EXE_NAME}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  SetOverwrite on
  SetOutPath "$INSTDIR"
  File "${DIST_DIR}\${EXE_NAME}"
!if /FileExists "${DIST_DIR}\${CLI_NAME}"
  File "${DIST_DIR}\${CLI_NAME}"
!endif
  File /r "${DIST_DIR}\_internal"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; Shortcuts: Start menu and desktop (this user's).
  !insertmacro DELETE_SHORTCUTS
  CreateDirectory "$SMPROGRAMS\${START_FOLDER}"
  CreateShortcut "$SMPROGRAMS\${START_FOLDER}\${APP_NAME}.lnk" "$INSTDIR\${EXE_NAME}" "" "$INSTDIR\${EXE_NAME}" 0
  CreateShortcut "$SMPROGRAMS\${START_FOLDER}\$(ShortcutUninstall).lnk" "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE_NAME}" "" "$INSTDIR\${EXE_NAME}" 0

  ; "Apps & features" entry (per user), and "dttsclient" in the Run box.
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE_NAME},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
  WriteRegStr HKCU "${APP_PATHS_KEY}" "" "$INSTDIR\${EXE_NAME}"
  WriteRegStr HKCU "${APP_PATHS_KEY}" "Path" "$INSTDIR"
SectionEnd

; -- uninstall ---------------------------------------------------------------------------------------
; Removes exactly what the installer put there. Never the data folder (${DATA_DIR}), never the
; Credential Manager entries, never a portable.txt or data\ folder inside the program folder: the
; folder itself goes only when it is empty.
Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.CloseRunningApp
  Delete "$INSTDIR\${EXE_NAME}"
  Delete "$INSTDIR\${CLI_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  !insertmacro DELETE_SHORTCUTS
  RMDir "$SMPROGRAMS\${START_FOLDER}"

  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "${APP_PATHS_KEY}"
  DetailPrint "$(DataKept)"
SectionEnd
