//! Authors' pictures for the overlay, from the studio's image cache: a picture already fetched
//! goes to the page as a `data:` URL; one not yet fetched is fetched in the background (under the
//! same rules as the window's), so the author's next message shows it.

use restream_overlay::hub::Avatars;
use tauri::{AppHandle, Manager};

use crate::studio::service::ServiceState;
use crate::support::images::{ImageFetcher, ImagePurpose};

pub struct CachedAvatars(pub AppHandle);

impl Avatars for CachedAvatars {
    fn cached(&self, url: &str) -> Option<String> {
        self.0.state::<ImageFetcher>().peek(url, ImagePurpose::Avatar)
    }

    fn want(&self, url: &str) {
        let Ok(studio) = self.0.state::<ServiceState>().studio() else {
            return;
        };
        let Ok(service) = url::Url::parse(studio.config().api_base.as_str()) else {
            return;
        };
        let (app, url) = (self.0.clone(), url.to_owned());
        tauri::async_runtime::spawn(async move {
            let _ = app
                .state::<ImageFetcher>()
                .fetch(&url, ImagePurpose::Avatar, &service)
                .await;
        });
    }
}
