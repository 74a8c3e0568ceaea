//! Authors' pictures for the overlay, from the studio's image cache: a picture already fetched
//! goes to the page as a `data:` URL; one not yet fetched is fetched in the background (under the
//! same rules as the window's), so the author's next message shows it.

use restream_overlay::hub::Avatars;
use tauri::{AppHandle, Manager};

use crate::support::images::{ImageFetcher, ImagePurpose};

/// Where the running service is (pictures are checked against it), handed in by the wiring.
pub type ServiceAddress = fn(&AppHandle) -> Option<url::Url>;

pub struct CachedAvatars {
    pub app: AppHandle,
    pub service: ServiceAddress,
}

impl Avatars for CachedAvatars {
    fn cached(&self, url: &str) -> Option<String> {
        self.app.state::<ImageFetcher>().peek(url, ImagePurpose::Avatar)
    }

    fn want(&self, url: &str) {
        let Some(service) = (self.service)(&self.app) else {
            return;
        };
        let (app, url) = (self.app.clone(), url.to_owned());
        tauri::async_runtime::spawn(async move {
            let _ = app
                .state::<ImageFetcher>()
                .fetch(&url, ImagePurpose::Avatar, &service)
                .await;
        });
    }
}
